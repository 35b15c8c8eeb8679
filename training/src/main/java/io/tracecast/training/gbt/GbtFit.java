package io.tracecast.training.gbt;

import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.util.List;

/**
 * A finished GBT training: the model (best round per column kept), its curve, and per output
 * column the number of rounds kept.
 */
public record GbtFit(GbtModel model, TrainingHistory history, List<Integer> bestRounds) {
  public GbtFit {
    bestRounds = List.copyOf(bestRounds);
  }
}
