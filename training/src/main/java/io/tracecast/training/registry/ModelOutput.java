package io.tracecast.training.registry;

import java.util.List;

/**
 * How to read a forecasting model's output, the one rule training, evaluation and predict share:
 * the output is {@code [batch, horizon * targets * outputsPerTarget]}, flat target value j
 * (step-major, as the dataset's targets) owning columns {@code j * outputsPerTarget ...}, one
 * per quantile level in ascending order (a point model has one). The point forecast of a
 * quantile model is the level nearest 0.5; what a provisioner buys is the 0.9 level when the
 * model has one, else the point.
 */
public final class ModelOutput {
  /** The level a provisioner buys from a quantile model (the 90 % quantile). */
  public static final double PROVISION_LEVEL = 0.9;

  private ModelOutput() {}

  /** Column of the output holding quantile {@code q} of flat target value {@code j}. */
  public static int column(int j, int q, int outputsPerTarget) {
    return j * outputsPerTarget + q;
  }

  /** Outputs per target value: the number of levels, or 1 for a point model. */
  public static int outputsPerTarget(List<Double> quantiles) {
    return Math.max(1, quantiles.size());
  }

  /** Index of the level nearest 0.5 (the first on a tie), or 0 for a point model. */
  public static int pointIndex(List<Double> quantiles) {
    int best = 0;
    for (int i = 1; i < quantiles.size(); i++) {
      if (Math.abs(quantiles.get(i) - 0.5) < Math.abs(quantiles.get(best) - 0.5)) {
        best = i;
      }
    }
    return best;
  }

  /** Whether {@code levels} are quantile levels a model can have: strictly ascending in (0, 1). */
  public static boolean validLevels(List<Double> levels) {
    for (int i = 0; i < levels.size(); i++) {
      double q = levels.get(i);
      if (!(q > 0 && q < 1) || (i > 0 && q <= levels.get(i - 1))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sorts each target value's quantile columns of one window's {@code output} in place:
   * independently fitted levels can cross, and the monotone rearrangement never increases the
   * pinball loss. A point model's output ({@code outputsPerTarget} 1) is left as it is.
   */
  public static void sortQuantiles(float[] output, int outputsPerTarget) {
    if (outputsPerTarget > 1) {
      for (int from = 0; from < output.length; from += outputsPerTarget) {
        java.util.Arrays.sort(output, from, from + outputsPerTarget);
      }
    }
  }

  /** Index of the {@value #PROVISION_LEVEL} level when present, else the point's. */
  public static int provisionIndex(List<Double> quantiles) {
    int i = quantiles.indexOf(PROVISION_LEVEL);
    return i >= 0 ? i : pointIndex(quantiles);
  }
}
