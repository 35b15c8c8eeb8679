package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.etl.dataset.WindowScaling;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.config.TrainSettingsParser;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.network.NetworkRollout;
import io.tracecast.training.network.NetworkShape;
import java.io.File;
import java.io.FileWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tracecast bench horizon}: networks forecasting a dataset's H steps with direct heads
 * (what {@code train} does) against the trees' recursive strategy ({@link NetworkRollout}: a
 * one-step network on every channel for step 1, a one-step network on the known channels for
 * steps 2..H) and the recursive strategy with the all-channel network only. Each is trained
 * per job with the pipeline's spec of the kind (tracecast.pipeline.train over tracecast.train)
 * and validation early stopping, one ND4J thread, and scored on the job's test windows: MAE over
 * persistence's MAE per step and pooled over the steps, in model space (window-normalised
 * targets are deltas to the last value, so persistence's error is |target|) and in original
 * units (what evaluate reports: series weigh by their scale).
 */
@Command(name = "horizon", description = "Networks at horizon H: direct heads vs recursive "
    + "one-step networks rolled out (bench/README.md).")
final class HorizonBench implements Callable<Integer> {
  static final String DIRECT = "direct";
  static final String RECURSIVE = "recursive";
  static final String RECURSIVE_ALL = "recursive_all";

  @Option(names = "--dataset", required = true,
      description = "A window-normalised dataset with horizon > 1.") String dataset;
  @Option(names = "--kinds", split = ",", defaultValue = "mlp,cnn",
      description = "Network kinds (default: mlp,cnn).") List<String> kinds;
  @Option(names = "--jobs", split = ",", description = "Jobs (default: all).") List<String> jobs;
  @Option(names = "--max-jobs", description = "Only the first N jobs.") Integer maxJobs;
  @Option(names = "--results", description = "CSV file to append the figures to.") File results;
  @Mixin ConfigOptions configOptions = new ConfigOptions();

  /**
   * Summed absolute errors of one strategy per step, with persistence's on the same points: in
   * model space ({@code [0]}) and in original units ({@code [1]}: the window's anchor plus scale
   * times the value, clipped to the target's physical range, as evaluate scores).
   */
  static final class Score {
    final double[][] error;
    final double[][] persistence;
    double trainSeconds;
    long windows;

    Score(int horizon) {
      error = new double[2][horizon];
      persistence = new double[2][horizon];
    }

    /** Adds windows' forecasts against their targets (both step-major, model space). */
    void add(float[][] forecasts, Windows test, Manifest.Bounds[] bounds) {
      int targetCount = bounds.length;
      for (int i = 0; i < forecasts.length; i++) {
        float[] y = test.targets().get(i);
        float[] anchor = test.anchors().get(i);
        float[] scale = test.scales().get(i);
        for (int k = 0; k < y.length; k++) {
          int h = k / targetCount;
          int j = k % targetCount;
          error[0][h] += Math.abs(forecasts[i][k] - y[k]);
          persistence[0][h] += Math.abs(y[k]);
          double actual = WindowScaling.toOriginal(anchor, scale, bounds, j, y[k]);
          error[1][h] += Math.abs(
              WindowScaling.toOriginal(anchor, scale, bounds, j, forecasts[i][k]) - actual);
          persistence[1][h] += Math.abs(
              WindowScaling.toOriginal(anchor, scale, bounds, j, 0) - actual);
        }
      }
      windows += forecasts.length;
    }

    void add(Score other) {
      for (int s = 0; s < 2; s++) {
        for (int h = 0; h < error[s].length; h++) {
          error[s][h] += other.error[s][h];
          persistence[s][h] += other.persistence[s][h];
        }
      }
      trainSeconds += other.trainSeconds;
      windows += other.windows;
    }

    double ratio(int space, int step) {
      return error[space][step] / persistence[space][step];
    }

    /** MAE over persistence's over every (window, step, target) alike. */
    double pooled(int space) {
      double e = 0;
      double p = 0;
      for (int h = 0; h < error[space].length; h++) {
        e += error[space][h];
        p += persistence[space][h];
      }
      return e / p;
    }
  }

  /** A split's windows of a job: model-space inputs and targets, each window's anchor, scale. */
  record Windows(List<float[]> inputs, List<float[]> targets, List<float[]> anchors,
      List<float[]> scales) {
    Windows withTargets(List<float[]> newTargets) {
      return new Windows(inputs, newTargets, anchors, scales);
    }

    Windows withInputs(List<float[]> newInputs) {
      return new Windows(newInputs, targets, anchors, scales);
    }
  }

  @Override
  public Integer call() throws Exception {
    Config config = configOptions.load(Map.of());
    TrainSettings settings = TrainSettingsParser.parse(PipelineCommand.withPipelineOverrides(
        config, "train", TrainSettingsParser.ROOT));
    List<NetworkArchitecture> networks = new ArrayList<>();
    for (ModelKind k : TrainSettingsParser.kinds(kinds, "--kinds")) {
      if (!(k.architecture() instanceof NetworkArchitecture n) || !k.id().equals(n.id())) {
        throw new IllegalArgumentException("--kinds: " + k.id() + " is not a per-job network kind");
      }
      networks.add(n);
    }
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    Nd4j.getEnvironment().setMaxThreads(1);
    String scratch = Files.createTempDirectory("tracecast-bench-horizon").toString();
    SparkSession spark = SparkSessions.create("tracecast-bench-horizon",
        configOptions.master == null ? "local[2]" : configOptions.master);
    try {
      DatasetReader reader = DatasetReader.open(spark, dataset);
      Manifest m = reader.manifest();
      WindowRollout rollout = WindowRollout.of(m);
      if (m.horizon() < 2 || rollout == null || !rollout.relative()) {
        throw new IllegalArgumentException(dataset + ": needs a window-normalised dataset with "
            + "horizon > 1 and every target among the features (horizon " + m.horizon() + ")");
      }
      List<String> selected = jobs != null ? jobs : m.jobs();
      if (maxJobs != null) {
        selected = selected.subList(0, Math.min(maxJobs, selected.size()));
      }
      NetworkShape shape = NetworkShape.of(m);
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      Map<String, Score> pooled = new LinkedHashMap<>();
      List<String> lines = new ArrayList<>();
      header(m.horizon());
      for (String job : selected) {
        Windows train = windows(reader, spark, Split.TRAIN, job);
        Windows validation = windows(reader, spark, Split.VALIDATION, job);
        Windows test = windows(reader, spark, Split.TEST, job);
        if (train.inputs().isEmpty() || test.inputs().isEmpty()) {
          System.out.println(job + ": no train or test windows, skipped");
          continue;
        }
        for (NetworkArchitecture kind : networks) {
          ModelSpec spec = settings.spec(kind);
          Map<String, Score> scores = score(job, spec, shape, rollout, train, validation, test,
              reader.scaling().targetBounds(), scratch, hadoop);
          for (Map.Entry<String, Score> e : scores.entrySet()) {
            String key = kind.id() + " " + e.getKey();
            pooled.computeIfAbsent(key, x -> new Score(m.horizon())).add(e.getValue());
            lines.add(row(m, job, kind.id(), e.getKey(), spec.training().seed(),
                train.inputs().size(), e.getValue()));
            print(job, kind.id(), e.getKey(), e.getValue());
          }
        }
      }
      System.out.printf(Locale.ROOT, "%n%s (%s, H = %d): test MAE / persistence's MAE, %d "
          + "job(s)%n", dataset, m.source(), m.horizon(), selected.size());
      header(m.horizon());
      for (Map.Entry<String, Score> e : pooled.entrySet()) {
        String[] kindStrategy = e.getKey().split(" ");
        print("all", kindStrategy[0], kindStrategy[1], e.getValue());
        lines.add(row(m, "all", kindStrategy[0], kindStrategy[1],
            settings.spec(networks.get(0)).training().seed(), 0, e.getValue()));
      }
      append(lines);
    } finally {
      spark.stop();
    }
    return 0;
  }

  /** Trains the strategies' networks on one job and scores them on its test windows. */
  private static Map<String, Score> score(String job, ModelSpec spec, NetworkShape shape,
      WindowRollout rollout, Windows train, Windows validation, Windows test,
      Manifest.Bounds[] bounds, String scratch, Configuration hadoop) {
    int targets = shape.targets();
    Map<String, Score> out = new LinkedHashMap<>();
    String id = spec.kind().id();

    FitOutcome direct = fit(job, id + "_direct", spec, shape, train, validation, scratch, hadoop);
    Score d = new Score(shape.horizon());
    d.add(NetworkRollout.points(direct.network(), spec, shape, test.inputs()), test, bounds);
    d.trainSeconds = direct.history().wallSeconds();
    out.put(DIRECT, d);

    NetworkShape oneStep = NetworkRollout.oneStep(shape);
    Windows firstTrain = train.withTargets(
        NetworkRollout.firstStepTargets(train.targets(), targets));
    Windows firstValidation = validation.withTargets(
        NetworkRollout.firstStepTargets(validation.targets(), targets));
    FitOutcome first = fit(job, id + "_first", spec, oneStep, firstTrain, firstValidation,
        scratch, hadoop);
    NetworkShape known = NetworkRollout.known(shape, rollout);
    FitOutcome later = fit(job, id + "_later", spec, known,
        firstTrain.withInputs(train.inputs().stream().map(rollout::known).toList()),
        firstValidation.withInputs(validation.inputs().stream().map(rollout::known).toList()),
        scratch, hadoop);
    Score r = new Score(shape.horizon());
    r.add(new NetworkRollout(spec, first.network(), later.network(), shape, rollout)
        .predict(test.inputs()), test, bounds);
    r.trainSeconds = first.history().wallSeconds() + later.history().wallSeconds();
    out.put(RECURSIVE, r);

    Score all = new Score(shape.horizon());
    all.add(new NetworkRollout(spec, first.network(), null, shape, rollout)
        .predict(test.inputs()), test, bounds);
    all.trainSeconds = first.history().wallSeconds();
    out.put(RECURSIVE_ALL, all);
    return out;
  }

  /** A local fit with validation early stopping, as a packed task runs it (no resume). */
  private static FitOutcome fit(String job, String name, ModelSpec spec, NetworkShape shape,
      Windows train, Windows validation, String scratch, Configuration hadoop) {
    ComputationGraph network = spec.kind().build(spec, shape, 1);
    LocalFitter fitter = new LocalFitter(network, spec, shape, train.inputs(), train.targets(),
        validation.inputs(), validation.targets());
    CheckpointStore checkpoints = new CheckpointStore(scratch, job, name, hadoop);
    checkpoints.delete();
    return new EpochLoop(job, spec, "bench-horizon", checkpoints, null).run(fitter);
  }

  /** One job's windows of a split in the order training uses (series, segment, end time). */
  private static Windows windows(DatasetReader reader, SparkSession spark, Split split,
      String job) {
    List<Row> rows = reader.encodedWindows(spark, split, List.of(job))
        .orderBy(WindowSchema.SERIES_ID, WindowSchema.SEGMENT, WindowSchema.END_TIME)
        .collectAsList();
    return new Windows(rows.stream().map(WindowSchema::inputs).toList(),
        rows.stream().map(WindowSchema::targets).toList(),
        rows.stream().map(WindowSchema::anchor).toList(),
        rows.stream().map(WindowSchema::scale).toList());
  }

  private static void header(int horizon) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "%-28s %-5s %-14s %-5s %7s %7s", "job", "kind", "strategy", "space", "train_s", "pooled"));
    for (int h = 1; h <= horizon; h++) {
      b.append(String.format(Locale.ROOT, " %6s", "h" + h));
    }
    System.out.println(b);
  }

  /** A row per space: model (window-normalised) and original units. */
  private static void print(String job, String kind, String strategy, Score s) {
    for (int space = 0; space < 2; space++) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
          "%-28s %-5s %-14s %-5s %7.1f %7.3f", job, kind, strategy, SPACES[space],
          s.trainSeconds, s.pooled(space)));
      for (int h = 0; h < s.error[space].length; h++) {
        b.append(String.format(Locale.ROOT, " %6.3f", s.ratio(space, h)));
      }
      System.out.println(b);
    }
  }

  private static final String[] SPACES = {"model", "orig"};

  private static String steps(Score s, int space) {
    StringBuilder steps = new StringBuilder();
    for (int h = 0; h < s.error[space].length; h++) {
      steps.append(h == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f",
          s.ratio(space, h)));
    }
    return steps.toString();
  }

  private static String row(Manifest m, String job, String kind, String strategy, long seed,
      int trainWindows, Score s) {
    return String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s,%d,%d,%d,%.1f,%.4f,%s,%.4f,%s,%.1f%n",
        java.time.LocalDate.now(), m.source(), job, m.horizon(), kind, strategy, seed, trainWindows,
        s.windows, s.trainSeconds, s.pooled(0), steps(s, 0), s.pooled(1), steps(s, 1),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private void append(List<String> lines) throws java.io.IOException {
    if (results == null) {
      return;
    }
    boolean fresh = !results.exists();
    try (FileWriter out = new FileWriter(results, true)) {
      if (fresh) {
        out.write("date,source,job,horizon,kind,strategy,seed,train_windows,test_windows,train_s,"
            + "pooled_vs_persistence,steps_vs_persistence,pooled_vs_persistence_orig,"
            + "steps_vs_persistence_orig,load_1m\n");
      }
      for (String l : lines) {
        out.write(l);
      }
    }
  }
}
