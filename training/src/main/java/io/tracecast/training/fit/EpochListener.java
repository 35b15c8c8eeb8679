package io.tracecast.training.fit;

import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import java.io.Serializable;

/**
 * Called after each epoch's checkpoint is written. Serializable because packed training runs
 * inside Spark tasks. Tests use it to inject a failure after a given epoch and check that the
 * next run resumes from the checkpoint; an exception thrown here fails the job like any other.
 */
@FunctionalInterface
public interface EpochListener extends Serializable {
  EpochListener NONE = (job, kind, epoch) -> { };

  /** {@code epoch} is 1-based and already checkpointed. */
  void epochDone(String job, NetworkArchitecture kind, int epoch);

  /**
   * Asked after {@link #epochDone} with the epoch's record (validation MAE in scaled units):
   * true ends the loop now, keeping the best epoch so far, as early stopping would. A tuning
   * pruner stops a poor trial this way; plain training never does.
   */
  default boolean stopAfter(String job, NetworkArchitecture kind, Epoch epoch) {
    return false;
  }
}
