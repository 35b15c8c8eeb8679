package io.tracecast.cli;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettingsParser;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.source.TraceFormats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "etl", mixinStandardHelpOptions = true,
    description = "Raw traces -> cleaned, windowed Parquet dataset with a manifest.")
final class EtlCommand implements Callable<Integer> {
  @Option(names = "--source", required = true,
      description = "Trace format: google2019, google2011, azure, bitbrains, alibaba.")
  String source;

  @Option(names = "--input", required = true, arity = "1..*",
      description = "Input files, directories or globs (local or hdfs://, s3a://, ...).")
  List<String> inputs;

  @Option(names = "--output", required = true, description = "Dataset directory to create.")
  String output;

  @Option(names = "--vmtable", description = "Azure only: vmtable file, to group VMs by deployment.")
  String vmTable;

  @Option(names = "--grouping", description = "Alibaba only: the job of each machine: machine"
      + " (default), cluster (one job), or a CSV file of machine_id,group lines"
      + " (tracecast.etl.sources.alibaba.grouping).")
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
      flags.put("tracecast.etl.sources." + source + ".grouping", grouping);
    }
    com.typesafe.config.Config conf = config.load(flags);
    EtlRequest request = new EtlRequest(source, inputs, output, overwrite,
        Optional.ofNullable(vmTable), EtlSettingsParser.parse(conf));
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

  private static Map<String, Long> panelTotals(Manifest m) {
    Map<String, Long> totals = new LinkedHashMap<>();
    m.graphs().forEach(g -> g.panels().forEach((split, n) -> totals.merge(split, n, Long::sum)));
    return totals;
  }
}
