package io.tracecast.training.plan;

import io.tracecast.training.kind.ModelKind;
import java.io.Serializable;

/**
 * One model to train for one job: a kind trained in scope job, and how. The unit of scheduling:
 * a packed task is one Spark task, so the kinds of one job train side by side on different slots.
 *
 * @param trainWindows the job's train windows, summed over its series from the manifest
 * @param validationWindows the job's validation windows (0: early stopping watches train loss)
 */
public record TrainingTask(String job, ModelKind kind, ExecutionMode mode, long trainWindows,
    long validationWindows) implements Serializable {

  public TrainingTask {
    if (job == null || job.isEmpty() || kind == null || mode == null) {
      throw new IllegalArgumentException("a training task needs a job, a kind and a mode");
    }
    if (trainWindows < 1 || validationWindows < 0) {
      throw new IllegalArgumentException(job + ": train windows must be >= 1, got "
          + trainWindows);
    }
  }

  /**
   * Estimated training cost: train windows x the kind's cost per window ("window-epochs of an
   * mlp"); packed tasks start largest first.
   */
  public double estimatedCost() {
    return kind.architecture().costPerWindow() * trainWindows;
  }

  /** The same task in another execution mode. */
  public TrainingTask withMode(ExecutionMode other) {
    return new TrainingTask(job, kind, other, trainWindows, validationWindows);
  }

  /** {@code job/kind}, as in logs and failure lists. */
  public String id() {
    return job + "/" + kind.id();
  }
}
