package io.tracecast.evaluation.scoring;

import io.tracecast.training.model.ModelOutput;
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
    return ModelOutput.outputsPerTarget(quantiles);
  }

  /** Index of the point forecast's level ({@link ModelOutput#pointIndex}). */
  public int medianIndex() {
    return ModelOutput.pointIndex(quantiles);
  }

  /** Index of the level a provisioner buys ({@link ModelOutput#provisionIndex}). */
  public int provisionIndex() {
    return ModelOutput.provisionIndex(quantiles);
  }
}
