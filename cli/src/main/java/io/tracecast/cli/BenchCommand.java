package io.tracecast.cli;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettingsParser;
import io.tracecast.etl.dataset.Manifest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks behind {@code bench/}: each prints its figures and appends them to a CSV. */
@Command(name = "bench", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmarks (see bench/README.md).",
    subcommands = {BenchCommand.Etl.class, TrainBench.class, ClusterBench.class,
        ScheduleBench.class, HorizonBench.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(name = "etl", description = "ETL time vs a plain Spark CSV-to-Parquet copy of the same files.")
  static final class Etl implements Callable<Integer> {
    @Option(names = "--source", required = true) String source;
    @Option(names = "--input", required = true, arity = "1..*") List<String> inputs;
    @Option(names = "--csv-separator", defaultValue = ",") String separator;
    @Option(names = "--csv-header") boolean header;
    @Option(names = "--master", defaultValue = "local[2]") String master;
    @Option(names = "--work", description = "Scratch directory (default: a temp dir).") File work;
    @Option(names = "--results", description = "CSV file to append the figures to.") File results;

    @Override
    public Integer call() throws Exception {
      Path dir = work != null ? work.toPath() : Files.createTempDirectory("tracecast-bench");
      SparkSession spark = SparkSessions.create("tracecast-bench-etl", master);
      try {
        // Warm-up: JIT and Spark's first-job costs should not land on either side.
        spark.read().text(inputs.get(0)).count();
        long t0 = System.nanoTime();
        spark.read().option("sep", separator).option("header", header).csv(
                inputs.toArray(new String[0]))
            .write().parquet(dir.resolve("copy").toString());
        double copySeconds = (System.nanoTime() - t0) / 1e9;
        EtlRequest request = new EtlRequest(source, inputs, dir.resolve("dataset").toString(),
            true, Optional.empty(), EtlSettingsParser.parse(Settings.load(null, null, Map.of())));
        long t1 = System.nanoTime();
        Manifest m = EtlJob.run(spark, request);
        double etlSeconds = (System.nanoTime() - t1) / 1e9;
        double ratio = etlSeconds / copySeconds;
        System.out.printf("input: %d files, %d rows (%d quarantined: %s); master %s%n",
            m.counts().filesRead(), m.counts().rowsRead(), m.counts().rowsQuarantined(),
            m.counts().quarantinedByReason(), master);
        System.out.printf("plain CSV->Parquet copy: %.1f s%n", copySeconds);
        System.out.printf("tracecast ETL:           %.1f s (windows %s)%n", etlSeconds,
            m.counts().windows());
        System.out.printf("ratio ETL/copy:          %.2f (target <= 1.50)%n", ratio);
        if (results != null) {
          boolean fresh = !results.exists();
          try (var out = new java.io.FileWriter(results, true)) {
            if (fresh) {
              out.write("date,source,files,rows,master,copy_s,etl_s,ratio\n");
            }
            out.write(String.format("%s,%s,%d,%d,%s,%.1f,%.1f,%.2f%n", java.time.LocalDate.now(),
                source, m.counts().filesRead(), m.counts().rowsRead(), master, copySeconds,
                etlSeconds, ratio));
          }
        }
        return 0;
      } finally {
        spark.stop();
      }
    }
  }
}
