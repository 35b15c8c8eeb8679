package io.tracecast.etl.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Groups series into sub-graphs of at most {@code maxSize} by the correlation of their values:
 * agglomerative clustering with average linkage on the distance {@code 1 - |r|} (Pearson r over
 * the steps both series have; 0 where they share fewer than {@link #MIN_OVERLAP} steps or one is
 * constant), merging the closest pair of clusters whose union still fits, until no pair fits.
 * Strongly anti-correlated series count as related: either predicts the other.
 *
 * <p>Deterministic: ties go to the pair with the lowest indices, and input order is the caller's
 * (sorted series ids). Cost O(n^2 T) for the correlations and O(n^3) for the merges, n series of
 * T steps: about a second for a job of 1,000 series.
 */
public final class CorrelationClustering {
  /** Fewer shared steps than this give no correlation (r = 0). */
  public static final int MIN_OVERLAP = 3;

  private CorrelationClustering() {}

  /**
   * @param values per series, one value per step on a shared time axis; NaN where the series has
   *     no value at that step
   * @return clusters as lists of series indices, each ascending, ordered by their first index
   */
  public static List<List<Integer>> cluster(double[][] values, int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be >= 1, got " + maxSize);
    }
    int n = values.length;
    // series without a missing step: r is the mean product of standardised values, one dot
    // product a pair instead of two passes
    double[][] standardised = new double[n][];
    for (int i = 0; i < n; i++) {
      standardised[i] = standardised(values[i]);
    }
    double[][] distance = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double r = standardised[i] != null && standardised[j] != null
            ? clip(dot(standardised[i], standardised[j]))
            : correlation(values[i], values[j]);
        distance[i][j] = 1 - Math.abs(r);
        distance[j][i] = distance[i][j];
      }
    }
    List<List<Integer>> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(new ArrayList<>(List.of(i)));
    }
    boolean[] active = new boolean[n];
    Arrays.fill(active, true);
    while (true) {
      int bestA = -1;
      int bestB = -1;
      double best = Double.POSITIVE_INFINITY;
      for (int a = 0; a < n; a++) {
        if (!active[a]) {
          continue;
        }
        for (int b = a + 1; b < n; b++) {
          if (active[b] && members.get(a).size() + members.get(b).size() <= maxSize
              && distance[a][b] < best) {
            best = distance[a][b];
            bestA = a;
            bestB = b;
          }
        }
      }
      if (bestA < 0) {
        break;
      }
      // Lance-Williams update for average linkage: the merged cluster's mean distance to c
      int sa = members.get(bestA).size();
      int sb = members.get(bestB).size();
      for (int c = 0; c < n; c++) {
        if (active[c] && c != bestA && c != bestB) {
          double d = (sa * distance[bestA][c] + sb * distance[bestB][c]) / (sa + sb);
          distance[bestA][c] = d;
          distance[c][bestA] = d;
        }
      }
      members.get(bestA).addAll(members.get(bestB));
      active[bestB] = false;
    }
    List<List<Integer>> out = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      if (active[a]) {
        List<Integer> m = new ArrayList<>(members.get(a));
        m.sort(null);
        out.add(List.copyOf(m));
      }
    }
    out.sort((x, y) -> Integer.compare(x.get(0), y.get(0)));
    return out;
  }

  /** (x - mean) / (std * sqrt(T)), so that r = dot; null with a NaN, too few steps or no spread. */
  private static double[] standardised(double[] x) {
    if (x.length < MIN_OVERLAP) {
      return null;
    }
    double mean = 0;
    for (double v : x) {
      if (Double.isNaN(v)) {
        return null;
      }
      mean += v;
    }
    mean /= x.length;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    if (!(ss > 0)) {
      return null;
    }
    double norm = Math.sqrt(ss);
    double[] z = new double[x.length];
    for (int t = 0; t < x.length; t++) {
      z[t] = (x[t] - mean) / norm;
    }
    return z;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int t = 0; t < a.length; t++) {
      s += a[t] * b[t];
    }
    return s;
  }

  private static double clip(double r) {
    return Double.isFinite(r) ? Math.max(-1, Math.min(1, r)) : 0;
  }

  /** Pearson r over the steps where both have a value; 0 when undefined. */
  public static double correlation(double[] x, double[] y) {
    int n = 0;
    double mx = 0;
    double my = 0;
    for (int t = 0; t < x.length; t++) {
      if (!Double.isNaN(x[t]) && !Double.isNaN(y[t])) {
        n++;
        mx += x[t];
        my += y[t];
      }
    }
    if (n < MIN_OVERLAP) {
      return 0;
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int t = 0; t < x.length; t++) {
      if (!Double.isNaN(x[t]) && !Double.isNaN(y[t])) {
        double dx = x[t] - mx;
        double dy = y[t] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
      }
    }
    return clip(sxy / Math.sqrt(sxx * syy));
  }
}
