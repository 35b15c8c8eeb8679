package io.tracecast.evaluation.interval;

import java.util.Arrays;

/**
 * Split-conformal prediction intervals (Vovk et al.; Lei et al. 2018, "Distribution-free
 * predictive inference for regression"), the one piece of interval arithmetic tracecast writes
 * itself: from the residuals {@code actual - forecast} of a model on held-out points (the
 * validation split), the offsets that widen any later point forecast into an interval of
 * nominal coverage.
 *
 * <p>Two-sided with one score per tail, so a skewed error (usage spikes up, rarely down) gets a
 * skewed interval: for level {@code 1 - a} and {@code n} sorted residuals {@code r(1..n)}, the
 * interval is {@code [forecast + r(lo), forecast + r(hi)]} with {@code lo = floor((n + 1) a/2)}
 * and {@code hi = ceil((n + 1)(1 - a/2))}. For a new point exchangeable with the calibration
 * points each tail misses with probability at most {@code a/2}, so coverage is at least
 * {@code 1 - a} and at most {@code 1 - a + 2/(n + 1)}. With too few residuals for a rank
 * ({@code lo < 1} or {@code hi > n}: fewer than {@code 2/a - 1}) there is no finite interval and
 * {@link #offsets} returns null rather than an interval that would under-cover.
 */
public final class SplitConformal {
  private SplitConformal() {}

  /**
   * Offsets {@code [lower, upper]} to add to a point forecast for an interval of {@code level}
   * (e.g. 0.8), or null with too few residuals; NaN residuals are ignored.
   */
  public static double[] offsets(double[] residuals, double level) {
    double[] r = Arrays.stream(residuals).filter(Double::isFinite).sorted().toArray();
    return offsetsOfSorted(r, r.length, level);
  }

  /**
   * {@link #offsets} of the first {@code n} entries of {@code sorted}, which must be finite and
   * ascending: for a caller that keeps its residuals sorted as they arrive (a rolling window,
   * {@link RollingResiduals}) instead of sorting a copy for every forecast.
   */
  public static double[] offsetsOfSorted(double[] sorted, int n, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("interval level must lie in (0, 1), got " + level);
    }
    double tail = (1 - level) / 2;
    // the ranks in exact arithmetic where it matters: (n + 1) * tail is often an integer
    int lo = (int) Math.floor((n + 1) * tail + 1e-9);
    int hi = (int) Math.ceil((n + 1) * (1 - tail) - 1e-9);
    if (lo < 1 || hi > n) {
      return null;
    }
    return new double[] {sorted[lo - 1], sorted[hi - 1]};
  }

  /** Fewest residuals that give a finite interval at {@code level}. */
  public static int minResiduals(double level) {
    int n = 1;
    while (offsets(new double[n], level) == null) {
      n++;
    }
    return n;
  }
}
