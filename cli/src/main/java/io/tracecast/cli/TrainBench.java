package io.tracecast.cli;

import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import java.io.File;
import java.io.FileWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracecast bench train}: samples/s of the bilstm_attention spec on real windows, plain
 * local fit on 1 thread vs parameter averaging on local[2], and packed mode with 1 vs 2 workers.
 */
@Command(name = "train", description = "Training throughput: local fit, parameter averaging, packed.")
final class TrainBench implements Callable<Integer> {
  @Option(names = "--dataset", required = true) String dataset;
  @Option(names = "--epochs", defaultValue = "3") int epochs;
  @Option(names = "--packed-jobs", defaultValue = "10") int packedJobs;
  @Option(names = "--averaging-frequency", defaultValue = "5") int averagingFrequency;
  @Option(names = "--results", description = "CSV file to append the figures to.") File results;
  @Option(names = "--local-only", description = "Only the plain local fit (quick A/B runs; "
      + "appends nothing).") boolean localOnly;
  @Option(names = "--export-windows", description = "Also write the train windows as raw "
      + "float32 files into this folder (the PyTorch reference reads them).") File exportDir;

  @Override
  public Integer call() throws Exception {
    ModelKind kind = ModelKind.perJob(ModelKinds.BILSTM_ATTENTION);
    // The kind's defaults, with exactly `epochs` epochs (patience = epochs: nothing stops early).
    TrainSettings settings = TrainSettings.defaults(List.of(kind))
        .withExecution(Long.MAX_VALUE, averagingFrequency, 1, "")
        .withOverrides(NetworkOverrides.none().withEpochs(epochs, epochs));
    ModelSpec spec = settings.spec(ModelKinds.BILSTM_ATTENTION);
    String work = Files.createTempDirectory("tracecast-bench-train").toString();
    SparkSession spark = SparkSessions.create("tracecast-bench-train", "local[2]");
    double local;
    double averaging;
    double packed2;
    int windows;
    List<String> jobs;
    try {
      TrainingThroughput.Pool pool = TrainingThroughput.trainPool(spark, dataset);
      windows = pool.inputs().size();
      jobs = io.tracecast.etl.dataset.DatasetReader.open(spark, dataset).manifest().jobs();
      jobs = jobs.subList(0, Math.min(packedJobs, jobs.size()));
      if (exportDir != null) {
        TrainingThroughput.exportWindows(pool, exportDir.toPath());
      }
      TrainingThroughput.LocalRate rate = TrainingThroughput.localFitRate(pool, spec, epochs);
      local = rate.wallSamplesPerSecond();
      if (localOnly) {
        System.out.printf(Locale.ROOT, "plain local fit, 1 thread: %8.0f samples/s wall, %8.0f "
            + "per CPU second (%d windows, %d epochs, OPENBLAS_CORETYPE=%s)%n", local,
            rate.cpuSamplesPerSecond(), windows, epochs, System.getenv("OPENBLAS_CORETYPE"));
        return 0;
      }
      averaging = TrainingThroughput.parameterAveraging(spark, pool, spec, epochs,
          averagingFrequency);
      packed2 = TrainingThroughput.packed(spark, dataset, jobs, settings, work + "/packed2");
    } finally {
      spark.stop();
    }
    SparkSession one = SparkSessions.create("tracecast-bench-train-1", "local[1]");
    double packed1;
    try {
      packed1 = TrainingThroughput.packed(one, dataset, jobs, settings, work + "/packed1");
    } finally {
      one.stop();
    }
    System.out.printf(Locale.ROOT, "bilstm_attention %s, %d train windows, %d epochs, "
        + "OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s%n", spec.units(), windows, epochs,
        System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"));
    System.out.printf(Locale.ROOT, "plain local fit, 1 thread:          %8.0f samples/s%n", local);
    System.out.printf(Locale.ROOT, "parameter averaging, local[2]:     %8.0f samples/s  (x%.2f)%n",
        averaging, averaging / local);
    System.out.printf(Locale.ROOT, "packed %d jobs, 1 worker:           %8.0f samples/s%n",
        jobs.size(), packed1);
    System.out.printf(Locale.ROOT, "packed %d jobs, 2 workers:          %8.0f samples/s  (x%.2f)%n",
        jobs.size(), packed2, packed2 / packed1);
    if (results != null) {
      boolean fresh = !results.exists();
      try (FileWriter out = new FileWriter(results, true)) {
        if (fresh) {
          out.write("date,model,windows,epochs,local_1t,paramavg_2,packed_1,packed_2,"
              + "paramavg_vs_local,packed_2_vs_1\n");
        }
        out.write(String.format(Locale.ROOT, "%s,%s,%d,%d,%.0f,%.0f,%.0f,%.0f,%.2f,%.2f%n",
            java.time.LocalDate.now(), kind.id(), windows, epochs, local, averaging, packed1,
            packed2, averaging / local, packed2 / packed1));
      }
    }
    return 0;
  }
}
