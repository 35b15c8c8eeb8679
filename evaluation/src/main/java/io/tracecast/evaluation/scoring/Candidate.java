package io.tracecast.evaluation.scoring;

import java.io.Serializable;
import io.tracecast.training.registry.ModelFamily;
import java.util.List;

/**
 * A registry version to score, with what executors need to use it without reading the
 * metadata again: where it lives, its family and its quantile levels (the dataset's rows carry
 * what turns outputs back into original units).
 *
 * @param path the version directory (any Hadoop file system)
 * @param family {@code network} or {@code gbt}: which forecaster reads the version
 * @param quantiles ascending levels, empty for a point forecast
 */
public record Candidate(String job, String model, int version, String path,
    ModelFamily family, List<Double> quantiles) implements Serializable {

  public Candidate {
    if (family == null || !family.trained()) {
      throw new IllegalArgumentException(job + "/" + model + ": a candidate is a trained model, "
          + "got family " + family);
    }
    quantiles = List.copyOf(quantiles);
  }

  public int outputsPerTarget() {
    return Math.max(1, quantiles.size());
  }

  /** Index of the level closest to 0.5: the point forecast of a quantile model. */
  public int medianIndex() {
    int best = 0;
    for (int i = 1; i < quantiles.size(); i++) {
      if (Math.abs(quantiles.get(i) - 0.5) < Math.abs(quantiles.get(best) - 0.5)) {
        best = i;
      }
    }
    return best;
  }

  /** Index of the 0.9 level when present (what a provisioner buys), else the point's. */
  public int provisionIndex() {
    int i = quantiles.indexOf(0.9);
    return i >= 0 ? i : medianIndex();
  }
}
