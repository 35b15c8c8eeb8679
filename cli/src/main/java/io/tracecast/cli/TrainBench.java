package io.tracecast.cli;

import io.tracecast.cli.TrainBenchSelection.SpecSource;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.InputForm;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import java.io.File;
import java.io.FileWriter;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracecast bench train}: per network kind ({@code --kinds}, default every one) and spec
 * ({@code --spec default|pipeline}), samples per second and per CPU second of a plain local fit
 * on one ND4J thread over real train windows (panels for a panel kind), the figures
 * {@code bench/train_torch.py} prints for PyTorch. {@code --scaling} adds the older comparison
 * of bilstm_attention's local fit with parameter averaging on local[2] and packed mode with 1 vs
 * 2 workers.
 */
@Command(name = "train", description = "Training throughput per kind: local fit on one thread; "
    + "--scaling: parameter averaging and packed mode.")
final class TrainBench implements Callable<Integer> {
  /** The columns of {@code --results}; bench/train_torch.py writes the same. */
  static final String CSV_HEADER = "date,commit,kind,spec,side,unit,samples,batch,threads,"
      + "epochs,samples_per_s,samples_per_cpu_s,samples_per_thread_cpu_s";

  @Option(names = "--dataset", required = true) String dataset;
  @Option(names = "--graph-dataset", description = "Dataset whose widest job graph the panel "
      + "kinds (graph_gru) train on (default: --dataset).") String graphDataset;
  @Option(names = "--kinds", description = "Comma-separated network kinds (default: every "
      + "network kind).") String kinds;
  @Option(names = "--spec", defaultValue = "default", description = "default (each kind's "
      + "own), pipeline (tracecast.pipeline.train over tracecast.train) or default,pipeline.")
  String specs;
  @Option(names = "--epochs", defaultValue = "3") int epochs;
  @Option(names = "--commit", defaultValue = "", description = "Code version for the CSV "
      + "(bench/train passes git's).") String commit;
  @Option(names = "--results", description = "CSV file to append the figures to.") File results;
  @Option(names = "--export-windows", description = "Also write the train windows as raw "
      + "float32 files and the measured specs into this folder (bench/train_torch.py reads "
      + "them).") File exportDir;
  @Option(names = "--local-only", hidden = true, description = "Accepted for older scripts: "
      + "the local fit is all that runs without --scaling.") boolean localOnly;
  @Option(names = "--scaling", description = "Also bilstm_attention's parameter averaging on "
      + "local[2] and packed training with 1 vs 2 workers.") boolean scaling;
  @Option(names = "--scaling-results", description = "CSV file for --scaling's figures.")
  File scalingResults;
  @Option(names = "--packed-jobs", defaultValue = "10") int packedJobs;
  @Option(names = "--averaging-frequency", defaultValue = "5") int averagingFrequency;

  @Override
  public Integer call() throws Exception {
    TrainBenchSelection selection = TrainBenchSelection.parse(kinds, specs);
    TrainSettings pipeline = selection.specs().contains(SpecSource.PIPELINE)
        ? TrainBenchSelection.pipelineSettings(Settings.load(null, null, Map.of())) : null;
    // Every spec built before any fit: a bad spec fails at start-up, not after an hour.
    List<Run> runs = new ArrayList<>();
    for (SpecSource source : selection.specs()) {
      for (NetworkArchitecture kind : selection.kinds()) {
        runs.add(new Run(source.label(), source.spec(kind, pipeline, epochs)));
      }
    }
    SparkSession spark = SparkSessions.create("tracecast-bench-train", "local[2]");
    TrainingThroughput.Pool pool;
    TrainingThroughput.PanelPool panels = null;
    Scaling scaled = null;
    try {
      pool = TrainingThroughput.trainPool(spark, dataset);
      if (selection.kinds().stream().anyMatch(k -> k.input() == InputForm.PANEL)) {
        panels = TrainingThroughput.trainPanels(spark, graphDataset != null ? graphDataset
            : dataset);
      }
      if (scaling) {
        scaled = scaling(spark, pool);
      }
    } finally {
      spark.stop();
    }
    if (scaled != null) {
      scaled.finish(pool.inputs().size());
    }
    if (exportDir != null) {
      TrainingThroughput.exportWindows(pool, exportDir.toPath());
    }
    System.out.printf(Locale.ROOT, "%d train windows (lookback %d x %d features), %d epochs "
        + "after a warm-up, 1 ND4J thread, OMP_NUM_THREADS=%s%n", pool.inputs().size(),
        pool.shape().lookback(), pool.shape().features(), epochs,
        System.getenv("OMP_NUM_THREADS"));
    if (panels != null) {
      System.out.printf(Locale.ROOT, "panel kinds: %d train panels of %d nodes (lookback %d x %d "
          + "features), the widest job graph of %s%n", panels.panels().size(), panels.nodes(),
          panels.shape().lookback(), panels.shape().features(),
          graphDataset != null ? graphDataset : dataset);
    }
    System.out.printf(Locale.ROOT, "%-17s %-9s %-16s %6s %12s %14s %14s%n", "kind", "spec",
        "unit", "batch", "samples/s", "per CPU s", "per thread CPU s");
    for (Run run : runs) {
      ModelSpec spec = run.spec();
      String source = run.source();
      boolean panel = spec.kind().input() == InputForm.PANEL;
      TrainingThroughput.LocalRate rate = panel
          ? TrainingThroughput.panelFitRate(spec, panels, epochs)
          : TrainingThroughput.localFitRate(pool, spec, epochs);
      String unit = panel ? "panel(" + panels.nodes() + " nodes)" : "window";
      int samples = panel ? panels.panels().size() : pool.inputs().size();
      System.out.printf(Locale.ROOT, "%-17s %-9s %-16s %6d %12.0f %14.0f %14.0f%n",
          spec.kind().id(), source, unit, spec.training().batchSize(),
          rate.wallSamplesPerSecond(), rate.cpuSamplesPerSecond(),
          rate.threadCpuSamplesPerSecond());
      if (exportDir != null && !panel) {
        TrainingThroughput.exportSpec(exportDir.toPath(), source, spec);
      }
      if (results != null) {
        append(results, CSV_HEADER, String.format(Locale.ROOT,
            "%s,%s,%s,%s,tracecast,%s,%d,%d,%d,%d,%.0f,%.0f,%.0f", LocalDate.now(), commit,
            spec.kind().id(), source, unit, samples, spec.training().batchSize(),
            Nd4j.getEnvironment().maxThreads(), epochs, rate.wallSamplesPerSecond(),
            rate.cpuSamplesPerSecond(), rate.threadCpuSamplesPerSecond()));
      }
    }
    return 0;
  }

  /** One measurement: a kind's spec and where it comes from ({@link SpecSource#label}). */
  private record Run(String source, ModelSpec spec) {}

  /** Appends {@code row} to {@code file}, writing {@code header} first when the file is new. */
  private static void append(File file, String header, String row) throws java.io.IOException {
    boolean fresh = !file.exists() || file.length() == 0;
    try (FileWriter out = new FileWriter(file, true)) {
      if (fresh) {
        out.write(header + "\n");
      }
      out.write(row + "\n");
    }
  }

  /**
   * bilstm_attention's default spec: local fit on 1 thread vs parameter averaging on local[2]
   * vs packed training of the first {@code --packed-jobs} jobs with 2 workers ({@link #scaling},
   * in the local[2] session) and then 1 ({@link #finish}, once that session is stopped: one
   * Spark context per JVM).
   */
  private final class Scaling {
    final ModelKind kind = ModelKind.perJob(ModelKinds.BILSTM_ATTENTION);
    // The kind's defaults, with exactly `epochs` epochs (patience = epochs: nothing stops early).
    final TrainSettings settings = TrainSettings.defaults(List.of(kind))
        .withExecution(Long.MAX_VALUE, averagingFrequency, 1, "")
        .withOverrides(NetworkOverrides.none().withEpochs(epochs, epochs));
    final ModelSpec spec = settings.spec(ModelKinds.BILSTM_ATTENTION);
    String work;
    List<String> jobs;
    double local;
    double averaging;
    double packed2;

    void finish(int windows) throws java.io.IOException {
      SparkSession one = SparkSessions.create("tracecast-bench-train-1", "local[1]");
      double packed1;
      try {
        packed1 = TrainingThroughput.packed(one, dataset, jobs, settings, work + "/packed1");
      } finally {
        one.stop();
      }
      System.out.printf(Locale.ROOT, "bilstm_attention %s, %d train windows, %d epochs%n",
          spec.units(), windows, epochs);
      System.out.printf(Locale.ROOT, "plain local fit, 1 thread:          %8.0f samples/s%n",
          local);
      System.out.printf(Locale.ROOT, "parameter averaging, local[2]:     %8.0f samples/s  "
          + "(x%.2f)%n", averaging, averaging / local);
      System.out.printf(Locale.ROOT, "packed %d jobs, 1 worker:           %8.0f samples/s%n",
          jobs.size(), packed1);
      System.out.printf(Locale.ROOT, "packed %d jobs, 2 workers:          %8.0f samples/s  "
          + "(x%.2f)%n", jobs.size(), packed2, packed2 / packed1);
      if (scalingResults != null) {
        append(scalingResults, "date,model,windows,epochs,local_1t,paramavg_2,packed_1,"
            + "packed_2,paramavg_vs_local,packed_2_vs_1", String.format(Locale.ROOT,
                "%s,%s,%d,%d,%.0f,%.0f,%.0f,%.0f,%.2f,%.2f", LocalDate.now(), kind.id(),
                windows, epochs, local, averaging, packed1, packed2, averaging / local,
                packed2 / packed1));
      }
    }
  }

  private Scaling scaling(SparkSession spark, TrainingThroughput.Pool pool) throws Exception {
    Scaling s = new Scaling();
    s.work = Files.createTempDirectory("tracecast-bench-train").toString();
    List<String> jobs = io.tracecast.etl.dataset.DatasetReader.open(spark, dataset).manifest()
        .jobs();
    s.jobs = jobs.subList(0, Math.min(packedJobs, jobs.size()));
    s.local = TrainingThroughput.localFit(pool, s.spec, epochs);
    s.averaging = TrainingThroughput.parameterAveraging(spark, pool, s.spec, epochs,
        averagingFrequency);
    s.packed2 = TrainingThroughput.packed(spark, dataset, s.jobs, s.settings,
        s.work + "/packed2");
    return s;
  }
}
