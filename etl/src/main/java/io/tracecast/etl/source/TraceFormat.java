package io.tracecast.etl.source;

import java.io.Serializable;
import java.util.List;

/**
 * One public trace format. Adding a format means one class implementing this and one test
 * with real sample rows; the rest of the ETL only sees canonical rows.
 */
public interface TraceFormat extends Serializable {

  /** Source name as used on the command line and in the manifest, e.g. {@code bitbrains}. */
  String name();

  /** The canonical metrics this format fills, in the order of {@link RowSink#accept}'s values. */
  List<Metric> metrics();

  /** Unit of each metric in {@link #metrics()}, written into the manifest. */
  List<String> units();

  /**
   * True when every series lives in exactly one input file, so the ETL need not shuffle rows
   * to assemble a series (Bitbrains: one VM per file; Google 2019 CSV: one task per file).
   */
  boolean seriesPerFile();

  /**
   * True when the trace has no jobs and the job of a series comes from
   * {@code tracecast.etl.sources.<name>.grouping} ({@link MachineGrouping}); false when the
   * trace names the job, and a grouping setting is refused.
   */
  default boolean groupsSeriesByConfiguration() {
    return false;
  }

  /** A parser for one file; it may keep state such as the header's column positions. */
  RowParser newParser(String file, SourceContext context);
}
