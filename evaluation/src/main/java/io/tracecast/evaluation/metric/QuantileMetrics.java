package io.tracecast.evaluation.metric;

import java.util.Arrays;

/**
 * Quality of quantile forecasts: the pinball loss per quantile level, and the empirical
 * coverage and mean width of the interval between the lowest and highest level (10–90% for
 * the bilstm_attention spec). A well-calibrated 10–90% interval covers about 80% of actuals.
 */
public record QuantileMetrics(double[] levels, double[] pinball, double coverage,
    double meanWidth) {

  /**
   * @param predicted predicted[i][q] is the forecast of level {@code levels[q]} for point i;
   *     levels ascending
   */
  public static QuantileMetrics of(double[] levels, double[] actual, double[][] predicted) {
    if (levels.length < 2) {
      throw new IllegalArgumentException("need at least two quantile levels for an interval");
    }
    for (int q = 1; q < levels.length; q++) {
      if (!(levels[q] > levels[q - 1])) {
        throw new IllegalArgumentException("levels must ascend: " + Arrays.toString(levels));
      }
    }
    int n = actual.length;
    if (n == 0 || predicted.length != n) {
      throw new IllegalArgumentException("need one prediction row per actual value, got "
          + predicted.length + " for " + n);
    }
    double[] pinball = new double[levels.length];
    long covered = 0;
    double width = 0;
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < levels.length; q++) {
        pinball[q] += pinball(levels[q], actual[i], predicted[i][q]) / n;
      }
      double lo = predicted[i][0];
      double hi = predicted[i][levels.length - 1];
      covered += actual[i] >= lo && actual[i] <= hi ? 1 : 0;
      width += (hi - lo) / n;
    }
    return new QuantileMetrics(levels.clone(), pinball, covered / (double) n, width);
  }

  /** Pinball loss of one forecast: {@code τ(y - ŷ)} when under-forecast, {@code (1-τ)(ŷ - y)} over. */
  public static double pinball(double level, double actual, double predicted) {
    double e = actual - predicted;
    return e >= 0 ? level * e : (level - 1) * e;
  }
}
