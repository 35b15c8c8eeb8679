package io.tracecast.etl.window;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.dataset.SeasonalLag;
import java.util.List;

/**
 * Where each point of one series finds its seasonal lag values: for lag {@code l} and point
 * {@code p}, the index of the point at {@code ts(p) + (horizon + 1 - steps) * step}, looked up by
 * timestamp (segments and gaps mean indices are not times), or -1 where the series has no point
 * there. Built in one merge-like sweep per lag, as both times increase with {@code p}.
 */
final class SeasonalHistory {
  private final int[][] source;
  /** missing[l][p + 1] - missing[l][a]: points in a..p lacking a value of some target. */
  private final int[][] missing;

  SeasonalHistory(CleanedSeries series, List<SeasonalLag> lags, int horizon, int[] targetMetric) {
    long[] ts = series.timestampsMicros();
    double[][] v = series.values();
    int n = ts.length;
    source = new int[lags.size()][n];
    missing = new int[lags.size()][n + 1];
    for (int l = 0; l < lags.size(); l++) {
      long offset = lags.get(l).offsetSteps(horizon) * series.stepMicros();
      int q = 0;
      for (int p = 0; p < n; p++) {
        long at = ts[p] + offset;
        while (q < n && ts[q] < at) {
          q++;
        }
        int found = q < n && ts[q] == at ? q : -1;
        source[l][p] = found;
        boolean lacking = found < 0;
        for (int m : targetMetric) {
          lacking |= found >= 0 && Double.isNaN(v[m][found]);
        }
        missing[l][p + 1] = missing[l][p] + (lacking ? 1 : 0);
      }
    }
  }

  /** Whether every lookback step from {@code first} to {@code last} has lag {@code l}'s values. */
  boolean complete(int l, int first, int last) {
    return missing[l][last + 1] == missing[l][first];
  }

  /**
   * Lag {@code l}'s value of a target for lookback point {@code p}, or {@code fill} (the target's
   * last observed value) where there is none.
   */
  double value(int l, int p, double[] target, double fill) {
    int q = source[l][p];
    return q < 0 || Double.isNaN(target[q]) ? fill : target[q];
  }
}
