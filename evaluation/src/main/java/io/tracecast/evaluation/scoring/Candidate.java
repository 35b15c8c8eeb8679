package io.tracecast.evaluation.scoring;

import io.tracecast.training.kind.InputForm;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelOutput;
import io.tracecast.training.registry.ModelVersion;
import java.io.Serializable;
import java.util.List;

/**
 * A registry version to score, with what executors need to use it without reading the
 * metadata again: where it lives, its family (labels its forecast rows), its quantile levels
 * and its input form (the dataset's rows carry what turns outputs back into original units).
 * Executors load it with the registry's one loader ({@link ModelCache}).
 *
 * @param job the registry job of the version (a pooled model's member job when borrowed)
 * @param path the version directory (any Hadoop file system)
 * @param family {@code network} or {@code gbt}
 * @param quantiles ascending levels, empty for a point forecast
 * @param input whether it scores windows or a job's panels
 * @param nodes a panel model's node count (its panels' width), 0 for a window model
 */
public record Candidate(String job, String model, int version, String path,
    ModelFamily family, List<Double> quantiles, InputForm input, int nodes)
    implements Serializable {

  public Candidate {
    if (nodes < 0 || (input == InputForm.PANEL) != (nodes > 0)) {
      throw new IllegalArgumentException(job + "/" + model + ": a panel model has nodes >= 1, "
          + "a window model none; got " + input + " with " + nodes);
    }
    if (family == null || !family.trained()) {
      throw new IllegalArgumentException(job + "/" + model + ": a candidate is a trained model, "
          + "got family " + family);
    }
    quantiles = List.copyOf(quantiles);
  }

  /** The candidate of a trained version {@code v} with its metadata. */
  public static Candidate of(ModelVersion v, ModelMetadata m) {
    if (!m.family().trained()) {
      throw new IllegalArgumentException(v.job() + "/" + v.model() + " v" + v.version()
          + " is a " + m.family().id() + ", not a trained model");
    }
    InputForm input = m.architecture().input();
    return new Candidate(v.job(), v.model(), v.version(), v.path(), m.family(), m.quantiles(),
        input, input == InputForm.PANEL ? m.lineage().graph().nodes() : 0);
  }

  /** A panel model: it scores a job's panels ({@code nodes} per panel), not its windows. */
  public boolean graph() {
    return input == InputForm.PANEL;
  }

  /** The version, as the registry names it. */
  public ModelVersion modelVersion() {
    return new ModelVersion(job, model, version, path);
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
