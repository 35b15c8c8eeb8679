package io.tracecast.training.fit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import java.util.List;

/**
 * {@code state.json} of a checkpoint: where an interrupted (job, model) stood after its last
 * completed epoch. A checkpoint is only resumed when dataset fingerprint and spec are equal to
 * the new run's; otherwise the run starts over.
 *
 * @param epochs every completed epoch, 1-based and in order
 * @param bestEpoch the epoch whose parameters are in {@code bestFile} (0: none yet)
 * @param bestScore the early-stopping score of bestEpoch (lower is better)
 * @param epochsSinceBest epochs completed since bestEpoch, for patience
 * @param finished true once early stopping or maxEpochs ended the training
 * @param trainSeconds time spent in fitting so far, for samples/s across restarts
 * @param modelFile the network after the last epoch (with updater state)
 * @param bestFile the network after bestEpoch
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointState(String datasetFingerprint, ModelSpec spec, List<Epoch> epochs,
    int bestEpoch, double bestScore, int epochsSinceBest, boolean finished, double trainSeconds,
    double wallSeconds, String modelFile, String bestFile) {

  public CheckpointState {
    epochs = List.copyOf(epochs);
  }

  public int lastEpoch() {
    return epochs.size();
  }
}
