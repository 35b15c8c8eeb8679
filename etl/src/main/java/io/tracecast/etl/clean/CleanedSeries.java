package io.tracecast.etl.clean;

import java.io.Serializable;

/**
 * One series on a regular grid of {@code stepMicros}: point {@code i} is at
 * {@code timestampsMicros[i]}; consecutive points of one segment are exactly one step apart,
 * and a new segment starts after every gap too long to interpolate. {@code values[m][i]} is in
 * the source's units, NaN only where metric {@code m} has no reading in the whole segment.
 */
public record CleanedSeries(
    String jobId, String seriesId, long stepMicros, long[] timestampsMicros, double[][] values,
    int[] segment, boolean[] interpolated, CleaningStats stats) implements Serializable {

  public int size() {
    return timestampsMicros.length;
  }

  /** Index of the first point of each segment, plus {@link #size()} as the last entry. */
  public int[] segmentStarts() {
    int count = size() == 0 ? 0 : segment[size() - 1] + 1;
    int[] starts = new int[count + 1];
    int s = 0;
    for (int i = 0; i < size(); i++) {
      if (i == 0 || segment[i] != segment[i - 1]) {
        starts[s++] = i;
      }
    }
    starts[count] = size();
    return starts;
  }

  /**
   * The first {@code points} points, as if the trace had ended there; the cleaning stats stay
   * those of the whole series (what cleaning did to the rows read).
   */
  public CleanedSeries head(int points) {
    if (points < 0 || points > size()) {
      throw new IllegalArgumentException("head of " + points + " points of a series of " + size());
    }
    double[][] v = new double[values.length][];
    for (int m = 0; m < v.length; m++) {
      v[m] = java.util.Arrays.copyOf(values[m], points);
    }
    return new CleanedSeries(jobId, seriesId, stepMicros,
        java.util.Arrays.copyOf(timestampsMicros, points), v,
        java.util.Arrays.copyOf(segment, points), java.util.Arrays.copyOf(interpolated, points),
        stats);
  }
}
