package io.tracecast.training.plan;

import io.tracecast.training.model.ModelKind;

/**
 * A rough estimate of what training one model costs, in "window-epochs of an mlp": train windows
 * times a per-kind weight. It only orders work (the longest packed tasks start first, so the
 * last round of tasks is short) and turns observed progress into an ETA, so it needs to be right
 * in proportion, not in seconds.
 *
 * <p>The weights are the ratio of an epoch's time per window at the kinds' default sizes and
 * lookback 12 on one core (mlp = 1). Measured on the Bitbrains sample (34 550 train windows, one
 * thread each, 2026-12-01): mlp 12 500, cnn 8 600, gru 1 860 samples/s, so cnn 1.5 and gru
 * 6.7; lstm walks the lookback like gru; stacked and bidirectional recurrent layers multiply
 * that (estimated, not measured). GBT kinds (boosting up to hundreds of rounds on every lag)
 * are put near a recurrent network.
 */
public final class TaskCost {
  /** Weight of a gradient-boosted-trees model per train window (gbt, gbt_global, gbt_pattern). */
  public static final double GBT_WEIGHT = 4;

  private TaskCost() {}

  /** Relative time per train window of one epoch of {@code kind} (mlp = 1). */
  public static double weight(ModelKind kind) {
    return switch (kind) {
      case MLP -> 1;
      case CNN -> 1.5;
      case LSTM, GRU -> 6.5;
      case CNN_LSTM -> 7;
      case STACKED_LSTM -> 12;
      case BILSTM_ATTENTION -> 25;
      // per node-window (panels x nodes): 340 node-windows/s measured for 10-node panels,
      // lookback 12, 8 features, one thread (training/README.md "graph_gru")
      case GRAPH_GRU -> 37;
    };
  }

  /** The estimated cost of training {@code kind} on {@code trainWindows} windows. */
  public static double of(ModelKind kind, long trainWindows) {
    return weight(kind) * trainWindows;
  }
}
