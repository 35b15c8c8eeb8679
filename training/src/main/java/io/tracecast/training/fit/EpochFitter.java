package io.tracecast.training.fit;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One way of running a training epoch over a job's data: a local fit ({@link LocalFitter}) or
 * parameter averaging across executors. {@link EpochLoop} drives either through this interface,
 * so validation, early stopping, checkpoints and logging are the same in both modes.
 */
public interface EpochFitter {
  /** The network as it is now (after the last epoch). */
  ComputationGraph network();

  /** Replaces the network, e.g. with one restored from a checkpoint. */
  void setNetwork(ComputationGraph network);

  /**
   * Trains one pass over the train windows.
   *
   * @param epoch 0-based, so learning-rate schedules see the right epoch after a resume
   * @return the mean minibatch training loss of the epoch
   */
  double fitEpoch(int epoch);

  /** Loss and point-forecast MAE on the validation windows; NaNs when there are none. */
  Validation validate();

  /** Train windows per epoch. */
  long trainWindows();

  /** Validation loss (as trained: MSE or pinball) and the MAE of the point forecast. */
  record Validation(double loss, double mae) {
    public static final Validation NONE = new Validation(Double.NaN, Double.NaN);
  }
}
