package io.tracecast.etl.source;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Canonical rows of one series, column-wise: {@code values[m][i]} is metric {@code m} (in the
 * format's metric order) at {@code timestampsMicros[i]}; NaN is a missing value. Rows are in
 * file order, not sorted. Columnar chunks keep the shuffle and the cache compact: a series
 * crosses the network as a few arrays, not as thousands of row objects.
 */
public record SeriesChunk(String jobId, String seriesId, long[] timestampsMicros, double[][] values)
    implements Serializable {

  public SeriesChunk {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(seriesId, "seriesId");
    for (double[] column : values) {
      if (column.length != timestampsMicros.length) {
        throw new IllegalArgumentException("metric column length differs from timestamps");
      }
    }
  }

  public int size() {
    return timestampsMicros.length;
  }

  public SeriesKey key() {
    return new SeriesKey(jobId, seriesId);
  }

  /** Both chunks' rows, this one's first. */
  public SeriesChunk concat(SeriesChunk other) {
    int n = size();
    long[] ts = Arrays.copyOf(timestampsMicros, n + other.size());
    System.arraycopy(other.timestampsMicros, 0, ts, n, other.size());
    double[][] merged = new double[values.length][];
    for (int m = 0; m < values.length; m++) {
      merged[m] = Arrays.copyOf(values[m], n + other.size());
      System.arraycopy(other.values[m], 0, merged[m], n, other.size());
    }
    return new SeriesChunk(jobId, seriesId, ts, merged);
  }

  /** Identifies a series across files: series ids are unique within a job. */
  public record SeriesKey(String jobId, String seriesId) implements Serializable {}

  /** Accumulates rows of one series while a file is read. */
  static final class Builder {
    private final String jobId;
    private final String seriesId;
    private long[] ts = new long[1024];
    private double[][] values;
    private int size;

    Builder(String jobId, String seriesId, int metrics) {
      this.jobId = jobId;
      this.seriesId = seriesId;
      this.values = new double[metrics][1024];
    }

    void add(long timestampMicros, double[] row) {
      if (size == ts.length) {
        ts = Arrays.copyOf(ts, size * 2);
        for (int m = 0; m < values.length; m++) {
          values[m] = Arrays.copyOf(values[m], size * 2);
        }
      }
      ts[size] = timestampMicros;
      for (int m = 0; m < values.length; m++) {
        values[m][size] = row[m];
      }
      size++;
    }

    SeriesChunk build() {
      double[][] trimmed = new double[values.length][];
      for (int m = 0; m < values.length; m++) {
        trimmed[m] = Arrays.copyOf(values[m], size);
      }
      return new SeriesChunk(jobId, seriesId, Arrays.copyOf(ts, size), trimmed);
    }
  }
}
