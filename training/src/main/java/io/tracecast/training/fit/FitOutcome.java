package io.tracecast.training.fit;

import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A finished training: the best epoch's network, its curve, and whether it was resumed.
 *
 * @param resumedFromEpoch the checkpointed epoch the run continued after (0: started fresh)
 */
public record FitOutcome(ComputationGraph network, TrainingHistory history,
    int resumedFromEpoch) {}
