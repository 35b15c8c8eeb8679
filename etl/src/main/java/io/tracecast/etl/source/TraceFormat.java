package io.tracecast.etl.source;

import java.io.Serializable;
import java.util.List;

/**
 * One public trace format. Adding a format means one class implementing this, listed in
 * {@link TraceFormats}, one test with real sample rows, and its block in
 * {@code conf/application.conf}; the rest of the ETL only sees canonical rows.
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
   * What this source reads unless {@code tracecast.etl.sources.<name>} says otherwise: features,
   * targets, time origin, and whether (and how, by default) its series are grouped into jobs.
   * Abstract on purpose: every format states its own, none inherits another's.
   */
  SourceDefaults defaults();

  /** A parser for one file; it may keep state such as the header's column positions. */
  RowParser newParser(String file, SourceContext context);
}
