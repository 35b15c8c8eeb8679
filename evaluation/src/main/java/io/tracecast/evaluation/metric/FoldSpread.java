package io.tracecast.evaluation.metric;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A metric over K backtest folds: its mean and the half-width of a 95 % confidence interval of
 * that mean, {@code t(0.975, K - 1) x sd / sqrt(K)} (Student's t, as the paper's protocol reports
 * repeated runs), and the same for a paired difference between two models over the same folds,
 * which is what says whether two figures differ beyond the noise of where the test window falls.
 *
 * @param folds the folds with a finite value
 * @param halfWidth NaN with fewer than two folds (no spread to estimate)
 */
public record FoldSpread(int folds, double mean, double halfWidth) {

  public static final FoldSpread NONE = new FoldSpread(0, Double.NaN, Double.NaN);

  /** Mean and 95 % interval of the finite values. */
  public static FoldSpread of(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite)
        .toArray();
    int k = v.length;
    if (k == 0) {
      return NONE;
    }
    double mean = 0;
    for (double x : v) {
      mean += x / k;
    }
    if (k < 2) {
      return new FoldSpread(k, mean, Double.NaN);
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(ss / (k - 1));
    double t = new TDistribution(null, k - 1).inverseCumulativeProbability(0.975);
    return new FoldSpread(k, mean, t * sd / Math.sqrt(k));
  }

  /**
   * The spread of {@code a[k] - b[k]} over the folds where both are finite: {@code a} differs
   * from {@code b} beyond noise when the interval excludes 0.
   */
  public static FoldSpread difference(List<Double> a, List<Double> b) {
    java.util.List<Double> d = new java.util.ArrayList<>();
    for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
      d.add(a.get(k) - b.get(k));
    }
    return of(d);
  }

  /**
   * Whether {@code values} over the folds differ from {@code best}'s over the same folds by less
   * than the noise: the paired difference's interval holds 0. False with fewer than two folds
   * (no backtest, nothing to judge), so the one rule marks the ≈ of every table.
   */
  public static boolean withinNoise(List<Double> values, List<Double> best) {
    return values.size() > 1 && difference(values, best).includesZero();
  }

  /** Whether the interval holds 0 (or cannot be estimated): no difference beyond noise. */
  public boolean includesZero() {
    return !(Math.abs(mean) > halfWidth);
  }
}
