package io.tracecast.cli;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettingsParser;
import io.tracecast.etl.dataset.BacktestFold;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.source.MachineGrouping;
import io.tracecast.etl.source.SourceDefaults;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "etl", mixinStandardHelpOptions = true,
    description = "Raw traces -> cleaned, windowed Parquet dataset with a manifest.")
final class EtlCommand implements Callable<Integer> {
  @Option(names = "--source", required = true, completionCandidates = SourceNames.class,
      description = "Trace format: ${COMPLETION-CANDIDATES} (their defaults below).")
  String source;

  @Option(names = "--input", required = true, arity = "1..*",
      description = "Input files, directories or globs (local or hdfs://, s3a://, ...).")
  List<String> inputs;

  @Option(names = "--output", required = true, description = "Dataset directory to create.")
  String output;

  @Option(names = "--vmtable", description = "Azure only: vmtable file, to group VMs by deployment.")
  String vmTable;

  @Option(names = "--grouping", description = "Only for a source whose trace names no job (one"
      + " with a grouping below): the job of each machine: " + MachineGrouping.EXPECTED + " ("
      + EtlSettingsParser.SOURCES + ".<source>." + EtlSettingsParser.GROUPING + ").")
  String grouping;

  @Option(names = "--overwrite", description = "Replace an existing output dataset.")
  boolean overwrite;

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Option(names = "--lookback", description = "Input steps per window (default 12).")
  Integer lookback;

  @Option(names = "--horizon", description = "Predicted steps per window (default 1).")
  Integer horizon;

  @Option(names = "--step", description = "Resampling step, e.g. 5m or 300s (default 5m).")
  String step;

  @Option(names = "--backtest-fold", paramLabel = "k/K", description = "Only backtest fold k of"
      + " K (0 <= k < K) with refitting: the split boundaries roll forward to the fold's test"
      + " window, one K-th of the normal test split, and the data ends with it (recorded in the"
      + " manifest).")
  String backtestFold;


  @Override
  public Integer call() {
    if (!TraceFormats.names().contains(source)) {
      throw new IllegalArgumentException(
          "--source " + source + ": expected one of " + TraceFormats.names());
    }
    Map<String, Object> flags = new LinkedHashMap<>();
    if (lookback != null) {
      flags.put("tracecast.etl.lookback", lookback);
    }
    if (horizon != null) {
      flags.put("tracecast.etl.horizon", horizon);
    }
    if (step != null) {
      flags.put("tracecast.etl.step", step);
    }
    if (grouping != null) {
      flags.put(EtlSettingsParser.sourceKey(source, EtlSettingsParser.GROUPING), grouping);
    }
    Optional<BacktestFold> fold;
    try {
      fold = Optional.ofNullable(backtestFold).map(BacktestFold::parse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--backtest-fold: " + e.getMessage(), e);
    }
    com.typesafe.config.Config conf = config.load(flags);
    EtlRequest request = new EtlRequest(source, inputs, output, overwrite,
        Optional.ofNullable(vmTable), EtlSettingsParser.parse(conf), fold);
    SparkSession spark = SparkSessions.create("tracecast-etl", config.master, conf);
    try {
      Manifest m = EtlJob.run(spark, request);
      Manifest.Counts c = m.counts();
      System.out.printf("dataset %s%n  source %s, %d files (%d skipped), step %s, lookback %d,"
              + " horizon %d%n  rows read %d = accepted %d + quarantined %d%n"
              + "  series %d, jobs %d, windows %s%n",
          output, m.source(), c.filesRead(), c.filesSkipped(),
          Duration.ofSeconds(m.stepSeconds()), m.lookback(), m.horizon(), c.rowsRead(),
          c.rowsAccepted(), c.rowsQuarantined(), c.series(), c.jobs(), c.windows());
      System.out.printf("  graphs %d (largest %d nodes), panels %s%n", m.graphs().size(),
          m.graphs().stream().mapToInt(Manifest.Graph::nodeCount).max().orElse(0),
          panelTotals(m));
      if (!c.quarantinedByReason().isEmpty()) {
        System.out.println("  quarantined by reason " + c.quarantinedByReason());
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /**
   * Lists each source's defaults after the options, from its format, so that the help cannot
   * drift from what a run reads. picocli calls this once, when it builds the command.
   */
  @Spec
  void describeSources(CommandSpec spec) {
    spec.usageMessage()
        .footerHeading("%nSource defaults (" + EtlSettingsParser.SOURCES
            + ".<source> overrides them):%n")
        .footer(sourceDefaultLines());
  }

  /** Two lines per source: its targets, time origin and grouping, then its features. */
  private static String[] sourceDefaultLines() {
    List<String> lines = new ArrayList<>();
    for (TraceFormat format : TraceFormats.all()) {
      SourceDefaults d = format.defaults();
      lines.add("  " + format.name() + ": " + EtlSettingsParser.TARGETS + " "
          + String.join(", ", d.targetColumns()) + ", " + EtlSettingsParser.TIME_ORIGIN + " "
          + d.timeOrigin()
          + d.grouping().map(g -> ", " + EtlSettingsParser.GROUPING + " " + g).orElse(""));
      lines.add("    " + EtlSettingsParser.FEATURES + " " + String.join(", ", d.features()));
    }
    return lines.toArray(String[]::new);
  }

  /** The source names, for {@code --source}'s help and shell completion. */
  static final class SourceNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return TraceFormats.names().iterator();
    }
  }

  private static Map<String, Long> panelTotals(Manifest m) {
    Map<String, Long> totals = new LinkedHashMap<>();
    m.graphs().forEach(g -> g.panels().forEach((split, n) -> totals.merge(split, n, Long::sum)));
    return totals;
  }
}
