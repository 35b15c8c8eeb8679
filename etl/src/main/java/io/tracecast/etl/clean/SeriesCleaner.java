package io.tracecast.etl.clean;

import io.tracecast.etl.source.SeriesChunk;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Turns the raw rows of one series into a regular grid: sort by time, drop exact duplicate
 * rows, average rows that share a timestamp, average rows within each step (steps are aligned
 * to the Unix epoch so that 5-minute steps fall on wall-clock boundaries), interpolate gaps of
 * up to {@code maxGapSteps} missing steps linearly, and cut the series into segments at longer
 * gaps. A metric missing at some observed steps is interpolated between its neighbours in the
 * same segment (held flat at the segment's edges).
 */
public final class SeriesCleaner implements java.io.Serializable {
  private final long stepMicros;
  private final int maxGapSteps;

  public SeriesCleaner(long stepMicros, int maxGapSteps) {
    if (stepMicros <= 0) {
      throw new IllegalArgumentException("step must be > 0, got " + stepMicros + " µs");
    }
    if (maxGapSteps < 0) {
      throw new IllegalArgumentException("maxGapSteps must be >= 0, got " + maxGapSteps);
    }
    this.stepMicros = stepMicros;
    this.maxGapSteps = maxGapSteps;
  }

  public CleanedSeries clean(SeriesChunk chunk) {
    int metrics = chunk.values().length;
    SeriesChunk sorted = sortByTime(chunk);
    long[] ts = sorted.timestampsMicros();
    double[][] v = sorted.values();
    int n = ts.length;

    // 1. exact duplicates and duplicate timestamps -> one row per timestamp
    long exactDuplicates = 0;
    long timestampMerges = 0;
    long[] uts = new long[n];
    double[][] uv = new double[metrics][n];
    int u = 0;
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && ts[j] == ts[i]) {
        j++;
      }
      int distinct = 0;
      double[] sums = new double[metrics];
      int[] counts = new int[metrics];
      for (int k = i; k < j; k++) {
        if (isExactDuplicateOfEarlier(v, i, k)) {
          exactDuplicates++;
          continue;
        }
        distinct++;
        for (int m = 0; m < metrics; m++) {
          if (!Double.isNaN(v[m][k])) {
            sums[m] += v[m][k];
            counts[m]++;
          }
        }
      }
      timestampMerges += distinct - 1;
      uts[u] = ts[i];
      for (int m = 0; m < metrics; m++) {
        uv[m][u] = counts[m] == 0 ? Double.NaN : sums[m] / counts[m];
      }
      u++;
      i = j;
    }

    // 2. mean within each step
    long[] steps = new long[u];
    double[][] sv = new double[metrics][u];
    int s = 0;
    long mergedIntoSteps = 0;
    for (int i = 0; i < u; ) {
      long bucket = Math.floorDiv(uts[i], stepMicros);
      int j = i;
      double[] sums = new double[metrics];
      int[] counts = new int[metrics];
      while (j < u && Math.floorDiv(uts[j], stepMicros) == bucket) {
        for (int m = 0; m < metrics; m++) {
          if (!Double.isNaN(uv[m][j])) {
            sums[m] += uv[m][j];
            counts[m]++;
          }
        }
        j++;
      }
      mergedIntoSteps += j - i - 1;
      steps[s] = bucket;
      for (int m = 0; m < metrics; m++) {
        sv[m][s] = counts[m] == 0 ? Double.NaN : sums[m] / counts[m];
      }
      s++;
      i = j;
    }

    // 3. gaps: interpolate short ones, cut segments at long ones
    long gapsInterpolated = 0;
    long stepsInterpolated = 0;
    long longGaps = 0;
    long stepsInLongGaps = 0;
    int capacity = s;
    for (int i = 1; i < s; i++) {
      long missing = steps[i] - steps[i - 1] - 1;
      if (missing > 0 && missing <= maxGapSteps) {
        capacity += (int) missing;
      }
    }
    long[] outTs = new long[capacity];
    double[][] out = new double[metrics][capacity];
    int[] segment = new int[capacity];
    boolean[] interpolated = new boolean[capacity];
    int o = 0;
    int seg = 0;
    for (int i = 0; i < s; i++) {
      if (i > 0) {
        long missing = steps[i] - steps[i - 1] - 1;
        if (missing > maxGapSteps) {
          longGaps++;
          stepsInLongGaps += missing;
          seg++;
        } else if (missing > 0) {
          gapsInterpolated++;
          stepsInterpolated += missing;
          for (int g = 1; g <= missing; g++) {
            double w = g / (double) (missing + 1);
            outTs[o] = (steps[i - 1] + g) * stepMicros;
            for (int m = 0; m < metrics; m++) {
              // NaN on either side stays NaN here and is filled per metric below
              out[m][o] = sv[m][i - 1] + w * (sv[m][i] - sv[m][i - 1]);
            }
            segment[o] = seg;
            interpolated[o] = true;
            o++;
          }
        }
      }
      outTs[o] = steps[i] * stepMicros;
      for (int m = 0; m < metrics; m++) {
        out[m][o] = sv[m][i];
      }
      segment[o] = seg;
      o++;
    }

    // 4. per-metric holes inside segments
    long filled = 0;
    for (int m = 0; m < metrics; m++) {
      filled += fillWithinSegments(out[m], segment, o);
    }
    CleaningStats stats = new CleaningStats(n, exactDuplicates, timestampMerges, mergedIntoSteps,
        s, gapsInterpolated, stepsInterpolated, longGaps, stepsInLongGaps, filled,
        o == 0 ? 0 : seg + 1);
    return new CleanedSeries(chunk.jobId(), chunk.seriesId(), stepMicros, outTs, out, segment,
        interpolated, stats);
  }

  private static boolean isExactDuplicateOfEarlier(double[][] v, int from, int k) {
    for (int e = from; e < k; e++) {
      boolean same = true;
      for (double[] column : v) {
        same &= Double.compare(column[e], column[k]) == 0;
      }
      if (same) {
        return true;
      }
    }
    return false;
  }

  /** Linear interpolation of NaN runs between valid values of the same segment; flat at edges. */
  private static long fillWithinSegments(double[] x, int[] segment, int n) {
    long filled = 0;
    int start = 0;
    while (start < n) {
      int end = start;
      while (end < n && segment[end] == segment[start]) {
        end++;
      }
      int lastValid = -1;
      for (int i = start; i < end; i++) {
        if (Double.isNaN(x[i])) {
          continue;
        }
        if (lastValid < 0 && i > start) {
          Arrays.fill(x, start, i, x[i]);
          filled += i - start;
        } else if (lastValid >= 0 && i - lastValid > 1) {
          for (int k = lastValid + 1; k < i; k++) {
            x[k] = x[lastValid] + (k - lastValid) * (x[i] - x[lastValid]) / (i - lastValid);
          }
          filled += i - lastValid - 1;
        }
        lastValid = i;
      }
      if (lastValid >= 0 && lastValid < end - 1) {
        Arrays.fill(x, lastValid + 1, end, x[lastValid]);
        filled += end - 1 - lastValid;
      }
      start = end;
    }
    return filled;
  }

  private static SeriesChunk sortByTime(SeriesChunk chunk) {
    long[] ts = chunk.timestampsMicros();
    boolean sorted = true;
    for (int i = 1; i < ts.length && sorted; i++) {
      sorted = ts[i - 1] <= ts[i];
    }
    if (sorted) {
      return chunk;
    }
    Integer[] order = new Integer[ts.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // stable, so rows sharing a timestamp keep file order
    Arrays.sort(order, Comparator.comparingLong(i -> ts[i]));
    long[] sts = new long[ts.length];
    double[][] sv = new double[chunk.values().length][ts.length];
    for (int i = 0; i < order.length; i++) {
      sts[i] = ts[order[i]];
      for (int m = 0; m < sv.length; m++) {
        sv[m][i] = chunk.values()[m][order[i]];
      }
    }
    return new SeriesChunk(chunk.jobId(), chunk.seriesId(), sts, sv);
  }
}
