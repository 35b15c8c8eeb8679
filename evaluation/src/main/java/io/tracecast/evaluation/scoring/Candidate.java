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
 * @param nodes a graph model's node count (its panels' width), 0 for a window model
 */
public record Candidate(String job, String model, int version, String path,
    ModelFamily family, List<Double> quantiles, int nodes) implements Serializable {

  /** A window model's candidate (not a graph model). */
  public Candidate(String job, String model, int version, String path, ModelFamily family,
      List<Double> quantiles) {
    this(job, model, version, path, family, quantiles, 0);
  }

  public Candidate {
    if (nodes < 0) {
      throw new IllegalArgumentException(job + "/" + model + ": nodes must be >= 0");
    }
    if (family == null || !family.trained()) {
      throw new IllegalArgumentException(job + "/" + model + ": a candidate is a trained model, "
          + "got family " + family);
    }
    quantiles = List.copyOf(quantiles);
  }

  /** A graph model: it scores a job's panels ({@code nodes} per panel), not its windows. */
  public boolean graph() {
    return nodes > 0;
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
