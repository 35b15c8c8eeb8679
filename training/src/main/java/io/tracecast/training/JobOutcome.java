package io.tracecast.training;

import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.TrainingTask;
import java.io.Serializable;

/**
 * How one (job, model) of a run ended: published as {@code version}, or failed with
 * {@code error}.
 *
 * @param model the registry's model name, the kind's id ({@code lstm}, {@code gbt_global},
 *     {@code mlp_pattern}, {@code mlp_tuned})
 * @param epochs epochs, or boosting rounds for GBT models
 * @param resumedFromEpoch the checkpointed epoch training continued after (0: from scratch)
 */
public record JobOutcome(String job, String model, ExecutionMode mode, boolean succeeded,
    int version, String error, int epochs, int bestEpoch, int resumedFromEpoch,
    double samplesPerSecond, double wallSeconds) implements Serializable {

  public static JobOutcome failed(TrainingTask task, Throwable error) {
    return failed(task.job(), task.kind().id(), task.mode(), error);
  }

  public static JobOutcome failed(String job, String model, ExecutionMode mode,
      Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getName()
        : error.getClass().getSimpleName() + ": " + error.getMessage();
    return new JobOutcome(job, model, mode, false, 0, message, 0, 0, 0, 0, 0);
  }

  /** {@code job/model}, as in logs and failure lists. */
  public String id() {
    return job + "/" + model;
  }
}
