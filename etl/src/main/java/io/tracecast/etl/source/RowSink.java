package io.tracecast.etl.source;

/** Receives canonical rows from a parser. */
public interface RowSink {

  /**
   * One canonical row.
   *
   * @param timestampMicros UTC time in microseconds since the Unix epoch
   * @param values one value per {@link TraceFormat#metrics()}, NaN where the trace has none;
   *     the sink copies the array, so parsers may reuse it
   */
  void accept(String jobId, String seriesId, long timestampMicros, double[] values)
      throws io.tracecast.etl.quarantine.RowRejectedException;

  /** Counts a repair that kept the row, such as an abnormal sentinel turned into a missing value. */
  void note(String counter);
}
