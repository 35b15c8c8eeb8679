package io.tracecast.training;

import io.tracecast.training.model.ModelKind;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.TrainingTask;
import java.io.Serializable;

/**
 * How one (job, model kind) of a run ended: published as {@code version}, or failed with
 * {@code error}.
 *
 * @param resumedFromEpoch the checkpointed epoch training continued after (0: from scratch)
 */
public record JobOutcome(String job, ModelKind kind, ExecutionMode mode, boolean succeeded,
    int version, String error, int epochs, int bestEpoch, int resumedFromEpoch,
    double samplesPerSecond, double wallSeconds) implements Serializable {

  static JobOutcome failed(TrainingTask task, Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getName()
        : error.getClass().getSimpleName() + ": " + error.getMessage();
    return new JobOutcome(task.job(), task.kind(), task.mode(), false, 0, message, 0, 0, 0, 0, 0);
  }

  /** {@code job/kind}, as in logs and failure lists. */
  public String id() {
    return job + "/" + kind.id();
  }
}
