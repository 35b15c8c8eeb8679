package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracecast.common.StagedCommit;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.ManifestIo;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.fit.CheckpointState;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, proven by killing the process: each command (etl, train, evaluate with its
 * champion alias, predict) runs in a child JVM that is killed with SIGKILL at named pause points
 * ({@code PausePoint}) and at times spread over a run. After every kill the output paths are
 * read as a user would (dataset reader, registry loader, report and prediction files): each
 * shows nothing, the previous complete version or the new complete one, equal to an
 * uninterrupted run's. Each next run of a chain is the rerun of the kill before it (it must get
 * past whatever that kill left); the chain's last run completes and must equal the uninterrupted
 * run (dataset fingerprint and counts, the trained network's epoch history after resuming from
 * its checkpoint as one version, report metrics, prediction rows) and leave no staging behind.
 * The table of kill points and what each left is printed and written to
 * {@code target/crash-safety.md} (README "Crash safety").
 *
 * <p>The five chains (etl, train, evaluate, evaluate replacing a report, predict) run two at a
 * time, each on its own outputs (failsafe's JUnit configuration enables parallel execution; the
 * methods, not the class, are CONCURRENT: a CONCURRENT class would also run beside the other ITs,
 * which run commands in-process and share this JVM's SparkContext and System.out): each child
 * JVM is a {@code local[1]} session that spends much of its life starting. Measured on 2 cores: 508 s, where the five chains' own times add up to 804 s (each
 * run ~1.25x slower beside another: about 0.77x of one chain after the other).
 */
class CrashSafetyIT {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));
  private static final String JOB = "2013-7";
  private static final String MODEL = "mlp";
  private static final int ROWS_PER_VM = 400;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The table's rows per command as recorded (a chain's runs in the order they ran). */
  private static final Map<String, List<String>> TABLE = new ConcurrentHashMap<>();

  @TempDir
  static Path tmp;
  static Path samples;
  static Path conf;
  static Path dataset;
  static Path trained;
  static Manifest refManifest;
  static List<ModelMetadata.Epoch> refEpochs;
  static JsonNode refReport;
  static Map<String, String> refAliases;
  /** The interval calibration evaluate stores in the registry (_intervals/<fingerprint>/). */
  static String refIntervals;
  static List<String> refPredictions;
  static SparkSession spark;
  /** The in-process train's wall time, Spark start included: where to aim the timed kill. */
  static double refTrainSeconds;
  /** The registry after the uninterrupted evaluate (champion alias, intervals). */
  static Path evaluated;
  /** The uninterrupted evaluate's report folder. */
  static Path refReportDir;
  /** The in-process evaluate's wall time: where to aim the timed kill of a replacing run. */
  static double refEvaluateSeconds;

  @BeforeAll
  static void uninterruptedRuns() throws IOException {
    samples = tmp.resolve("samples");
    PipelineIT.bitbrainsHead(samples, ROWS_PER_VM);
    conf = Files.writeString(tmp.resolve("fast.conf"), String.join("\n",
        "tracecast.etl.lookback = 6",
        "tracecast.train { max-epochs = 3, patience = 3, batch-size = 64,",
        "  learning-rate = 0.01, units { mlp = [8, 4] } }",
        "tracecast.evaluate.baselines = [persistence, moving_average]", ""));
    dataset = tmp.resolve("dataset");
    trained = tmp.resolve("registry-trained");
    ok(run(etlArgs(dataset, false).toArray(String[]::new)));
    refManifest = ManifestIo.read(dataset.toString(), new Configuration());
    long t0 = System.nanoTime();
    ok(run(trainArgs(trained).toArray(String[]::new)));
    refTrainSeconds = (System.nanoTime() - t0) / 1e9;
    refEpochs = ModelRegistry.open(trained.toString(), new Configuration())
        .metadata(JOB, MODEL, VersionRef.version(1)).history().epochs();
    evaluated = copy(trained, tmp.resolve("registry-evaluated"));
    refReportDir = tmp.resolve("report-ref");
    t0 = System.nanoTime();
    ok(run(evaluateArgs(evaluated, refReportDir).toArray(String[]::new)));
    refEvaluateSeconds = (System.nanoTime() - t0) / 1e9;
    refReport = reportContent(refReportDir);
    refAliases = aliases(evaluated);
    refIntervals = intervals(evaluated).orElseThrow();
    Path predictions = tmp.resolve("predictions-ref");
    ok(run(predictArgs(predictions).toArray(String[]::new)));
    spark = SparkSession.builder().master("local[1]").appName("crash-safety-reader")
        .config("spark.ui.enabled", "false").getOrCreate();
    refPredictions = rows(predictions);
  }

  @AfterAll
  static void writeTable() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    List<String> out = new ArrayList<>(List.of(
        "| command | killed at | a reader then sees | left beside the output |",
        "|---|---|---|---|"));
    for (String command : List.of("etl", "etl --overwrite", "train", "evaluate",
        "evaluate (replacing)", "predict", "predict --overwrite")) {
      out.addAll(TABLE.getOrDefault(command, List.of()));
    }
    Path file = Paths.get("target", "crash-safety.md");
    Files.createDirectories(file.getParent());
    Files.write(file, out);
    System.out.println(String.join("\n", out));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void etlShowsNothingOrAWholeDatasetAndTheRerunEqualsTheUninterruptedOne() {
    Path out = tmp.resolve("etl-killed");
    List<String> args = etlArgs(out, true);
    killAt("etl", "etl.series", args, () -> datasetView(out), out);
    killAt("etl", "commit.staged", args, () -> datasetView(out), out);
    double wall = complete("etl", args, () -> datasetView(out), out);
    killAfter("etl --overwrite", 0.5 * wall, args, () -> datasetView(out), out);
    killAfter("etl --overwrite", 0.8 * wall, args, () -> datasetView(out), out);
    killAt("etl --overwrite", "etl.series", args, () -> datasetView(out), out);
    killAt("etl --overwrite", "commit.aside", args, () -> datasetView(out), out);
    killAt("etl --overwrite", "commit.swapped", args, () -> datasetView(out), out);
    complete("etl --overwrite", args, () -> datasetView(out), out);
    assertTrue(datasetView(out).startsWith("the dataset"), datasetView(out));
    assertEquals(List.of(), leftovers(out));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void trainResumesFromItsCheckpointAndPublishesOneVersionEqualToTheUninterruptedOne() {
    Path registry = tmp.resolve("registry-killed");
    List<String> args = trainArgs(registry);
    killAfter("train", refTrainSeconds, args, () -> registryView(registry), null);
    killAt("train", "checkpoint.model-file", args, () -> registryView(registry), null);
    killAt("train", "checkpoint.saved", args, () -> registryView(registry), null);
    ChildCommand resumed = killAt("train", "checkpoint.state", args,
        () -> registryView(registry), null);
    assertTrue(resumed.logged("resuming after checkpointed epoch"), resumed.log());
    killAt("train", "checkpoint.models", args, () -> registryView(registry), null);
    killAt("train", "registry.files", args, () -> registryView(registry), null);
    killAt("train", "registry.staged", args, () -> registryView(registry), null);
    killAt("train", "train.published", args, () -> registryView(registry), null);
    ChildCommand last = ChildCommand.start(null, args);
    assertEquals(0, last.awaitExit(), last.log());
    record("train", "(rerun, completes)", registryView(registry), "-");
    assertTrue(last.logged("resuming after checkpointed epoch 3"), last.log());
    ModelRegistry r = ModelRegistry.open(registry.toString(), new Configuration());
    assertEquals(List.of(1), r.versions(JOB, MODEL), "one version after every kill");
    assertEquals(refEpochs, r.metadata(JOB, MODEL, VersionRef.version(1)).history().epochs(),
        "the resumed training equals the uninterrupted one, epoch by epoch");
    assertTrue(checkpoint(registry).state().isEmpty(), "checkpoint removed once published");
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void evaluateShowsNothingOrTheNewReportAndAliasesAndTheRerunEqualsTheUninterruptedOne()
      throws IOException {
    Path registry = copy(trained, tmp.resolve("registry-evaluate-killed"));
    Path report = tmp.resolve("report-killed");
    List<String> args = evaluateArgs(registry, report);
    killAt("evaluate", "intervals.json.staged", args, () -> evaluationView(registry, report),
        report);
    killAt("evaluate", "alias.written", args, () -> evaluationView(registry, report), report);
    killAt("evaluate", "report.partial", args, () -> evaluationView(registry, report), report);
    killAt("evaluate", "commit.staged", args, () -> evaluationView(registry, report), report);
    complete("evaluate", args, () -> evaluationView(registry, report), report);
    assertEvaluatedAsUninterrupted(registry, report);
  }

  /**
   * Replacing a report: starts from copies of the uninterrupted evaluation's registry and report
   * (what a second evaluate of the same registry finds), so that it runs beside the chain above.
   */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void evaluateShowsTheOldOrTheNewReportWhenReplacingAndTheRerunEqualsTheUninterruptedOne()
      throws IOException {
    Path registry = copy(evaluated, tmp.resolve("registry-evaluate-replaced"));
    Path report = copy(refReportDir, tmp.resolve("report-replaced"));
    List<String> args = evaluateArgs(registry, report);
    // late in the run: a child also starts a JVM and Spark (in-process 19 s, a child's run
    // 30-40 s when measured), so 1.2x the in-process time is about 0.6-0.75 of a child's run
    killAfter("evaluate (replacing)", 1.2 * refEvaluateSeconds, args,
        () -> evaluationView(registry, report), report);
    killAt("evaluate (replacing)", "alias.written", args,
        () -> evaluationView(registry, report), report);
    killAt("evaluate (replacing)", "report.partial", args,
        () -> evaluationView(registry, report), report);
    killAt("evaluate (replacing)", "commit.aside", args,
        () -> evaluationView(registry, report), report);
    killAt("evaluate (replacing)", "commit.swapped", args,
        () -> evaluationView(registry, report), report);
    complete("evaluate (replacing)", args, () -> evaluationView(registry, report), report);
    assertEvaluatedAsUninterrupted(registry, report);
  }

  private static void assertEvaluatedAsUninterrupted(Path registry, Path report)
      throws IOException {
    assertEquals(refReport, reportContent(report));
    assertEquals(refAliases, aliases(registry));
    assertEquals(java.util.Optional.of(refIntervals), intervals(registry));
    assertEquals(List.of(), leftovers(report));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void predictShowsNothingOrWholeForecastsAndTheRerunEqualsTheUninterruptedOne() {
    Path out = tmp.resolve("predictions-killed");
    List<String> args = predictArgs(out);
    killAt("predict", "commit.staged", args, () -> predictionView(out), out);
    double wall = complete("predict", args, () -> predictionView(out), out);
    killAfter("predict --overwrite", 0.6 * wall, args, () -> predictionView(out), out);
    killAfter("predict --overwrite", 0.85 * wall, args, () -> predictionView(out), out);
    killAt("predict --overwrite", "commit.aside", args, () -> predictionView(out), out);
    killAt("predict --overwrite", "commit.swapped", args, () -> predictionView(out), out);
    complete("predict --overwrite", args, () -> predictionView(out), out);
    assertEquals(refPredictions, rows(out));
    assertEquals(List.of(), leftovers(out));
  }

  // ---- running and killing

  /** Runs until {@code point} ({@code name[:n]}), kills it there, checks and records the view. */
  private static ChildCommand killAt(String command, String point, List<String> args,
      View view, Path output) {
    ChildCommand c = ChildCommand.start(point, args);
    String name = point.contains(":") ? point.substring(0, point.indexOf(':')) : point;
    boolean paused = c.awaitLine("PAUSED " + name);
    c.kill();
    assertTrue(paused, command + " never reached " + point + ":\n" + c.log());
    record(command, "`" + point + "`", view.describe(), describeLeftovers(output));
    return c;
  }

  /** Kills the command {@code seconds} after its start, wherever it is by then. */
  private static void killAfter(String command, double seconds, List<String> args, View view,
      Path output) {
    ChildCommand c = ChildCommand.start(null, args);
    long wait = (long) (seconds * 1000);
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean killed = c.kill();
    record(command, String.format(Locale.ROOT, "%.1f s after start%s", seconds,
        killed ? "" : " (had ended)"), view.describe(), describeLeftovers(output));
  }

  /** Runs the command to its end (the rerun of the kill before); returns its wall seconds. */
  private static double complete(String command, List<String> args, View view, Path output) {
    ChildCommand c = ChildCommand.start(null, args);
    assertEquals(0, c.awaitExit(), c.log());
    double wall = c.secondsSinceStart();
    record(command, String.format(Locale.ROOT, "(rerun, completes in %.0f s)", wall),
        view.describe(), describeLeftovers(output));
    return wall;
  }

  private static void record(String command, String point, String view, String leftovers) {
    TABLE.computeIfAbsent(command, k -> Collections.synchronizedList(new ArrayList<>()))
        .add("| " + command + " | " + point + " | " + view + " | " + leftovers + " |");
  }

  private static void ok(String[] result) {
    assertEquals("0", result[0], result[1] + result[2]);
  }

  // ---- what a reader sees

  @FunctionalInterface
  private interface View {
    /** What a reader finds; fails when it finds anything partial or different. */
    String describe();
  }

  private static Path readable(Path target) {
    return Path.of(new org.apache.hadoop.fs.Path(
        StagedCommit.readable(target.toString(), new Configuration())).toUri().getPath());
  }

  /** Nothing, or a dataset equal to the uninterrupted one, every split's rows all there. */
  private static String datasetView(Path out) {
    // as DatasetReader reads: the target, or the previous copy a crash mid-replace left aside
    Path readable = readable(out);
    if (!Files.exists(readable)) {
      return "no dataset";
    }
    String previous = readable.equals(out) ? "" : " (the previous copy, target missing)";
    Manifest m = ManifestIo.read(readable.toString(), new Configuration());
    assertEquals(refManifest.fingerprint(), m.fingerprint());
    assertEquals(refManifest.counts(), m.counts());
    DatasetReader reader = DatasetReader.open(spark, out.toString());
    long windows = 0;
    for (Split split : Split.values()) {
      long n = reader.windows(spark, split).count();
      assertEquals(m.counts().windows().get(split.label()), n, split.label());
      windows += n;
    }
    return "the dataset, equal to the uninterrupted run's (" + windows + " windows)" + previous;
  }

  /** Versions that load (checksums verified), at most one; a checkpoint whose files load. */
  private static String registryView(Path registry) {
    ModelRegistry r = ModelRegistry.open(registry.toString(), new Configuration());
    List<Integer> versions = r.versions(JOB, MODEL);
    assertTrue(versions.size() <= 1, "one version at most: " + versions);
    for (int v : versions) {
      r.load(JOB, MODEL, VersionRef.version(v));
    }
    CheckpointStore store = checkpoint(registry);
    Optional<CheckpointState> state = store.state();
    state.ifPresent(s -> {
      store.network(s.modelFile());
      if (s.bestEpoch() > 0) {
        store.network(s.bestFile());
      }
      assertEquals(refEpochs.subList(0, s.lastEpoch()), s.epochs(), "checkpointed epochs");
    });
    return (versions.isEmpty() ? "no version" : "version " + versions + " (loads)")
        + ", checkpoint " + state.map(s -> "after epoch " + s.lastEpoch()
            + (s.finished() ? " (finished)" : "")).orElse("none");
  }

  private static CheckpointStore checkpoint(Path registry) {
    return new CheckpointStore(registry.resolve("_checkpoints").toString(), JOB, MODEL,
        new Configuration());
  }

  /**
   * Aliases none or the uninterrupted run's; the interval calibration none or the uninterrupted
   * run's (read checksum verified: a torn file would throw); the report nothing or equal to its.
   */
  private static String evaluationView(Path registry, Path report) {
    Map<String, String> aliases = aliases(registry);
    assertTrue(aliases.isEmpty() || aliases.equals(refAliases), aliases.toString());
    java.util.Optional<String> intervals = intervals(registry);
    assertTrue(intervals.isEmpty() || intervals.get().equals(refIntervals), "intervals");
    String a = (aliases.isEmpty() ? "no alias" : "champion " + aliases.get("champion"))
        + (intervals.isEmpty() ? ", no intervals" : ", the intervals");
    // as ReportReader reads: the target, or the previous copy a crash mid-replace left aside
    Path readable = readable(report);
    if (!Files.exists(readable)) {
      return a + ", no report";
    }
    assertEquals(refReport, reportContent(readable));
    for (String f : List.of("index.html", "comparison.csv", "comparison.md", "series.csv",
        "steps.csv")) {
      assertTrue(Files.exists(readable.resolve(f)), f);
    }
    return a + ", the report, equal to the uninterrupted run's"
        + (readable.equals(report) ? "" : " (the previous copy, target missing)");
  }

  /** alias -> "model vN" (the version's path names the registry, which differs per run). */
  private static java.util.Optional<String> intervals(Path registry) {
    return ModelRegistry.open(registry.toString(), new Configuration())
        .intervals(refManifest.fingerprint());
  }

  private static Map<String, String> aliases(Path registry) {
    Map<String, String> out = new java.util.TreeMap<>();
    ModelRegistry.open(registry.toString(), new Configuration()).aliases(JOB).forEach(
        (alias, v) -> out.put(alias, v.model() + " v" + v.version()));
    return out;
  }

  /** Nothing, or every row of the uninterrupted run's predictions. */
  private static String predictionView(Path out) {
    if (!Files.exists(out)) {
      return "no predictions";
    }
    List<String> rows = rows(out);
    assertEquals(refPredictions, rows);
    return "the predictions, equal to the uninterrupted run's (" + rows.size() + " rows)";
  }

  private static List<String> rows(Path parquet) {
    return spark.read().parquet(parquet.toString()).collectAsList().stream()
        .map(Row::toString).sorted().toList();
  }

  /** report.json's scores, series scores and champions, without the measured timings. */
  private static JsonNode reportContent(Path report) {
    try {
      JsonNode tree = JSON.readTree(report.resolve("report.json").toFile());
      ObjectNode out = JSON.createObjectNode();
      for (String field : List.of("jobScores", "seriesScores", "champions")) {
        JsonNode n = tree.get(field).deepCopy();
        stripTimings(n);
        out.set(field, n);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stripTimings(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove(List.of("latencyMicrosPerWindow", "windowsPerSecond"));
    }
    n.forEach(CrashSafetyIT::stripTimings);
  }

  /** Hidden siblings a commit leaves (staging or the replaced copy). */
  private static List<String> leftovers(Path out) {
    try (Stream<Path> s = Files.list(out.getParent())) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("." + out.getFileName() + ".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describeLeftovers(Path out) {
    if (out == null) {
      return "-";
    }
    List<String> l = leftovers(out);
    if (l.isEmpty()) {
      return "nothing";
    }
    long staging = l.stream().filter(n -> n.contains(".tmp-")).count();
    long old = l.stream().filter(n -> n.contains(".old-")).count();
    return (staging > 0 ? staging + " staging" : "") + (staging > 0 && old > 0 ? ", " : "")
        + (old > 0 ? old + " old copy" : "");
  }

  // ---- the commands

  private static List<String> etlArgs(Path out, boolean overwrite) {
    List<String> a = new ArrayList<>(List.of("etl", "--source", "bitbrains", "--input",
        samples.resolve("bitbrains").toString(), "--output", out.toString(), "--conf",
        conf.toString(), "--master", "local[1]"));
    if (overwrite) {
      a.add("--overwrite");
    }
    return a;
  }

  private static List<String> trainArgs(Path registry) {
    return List.of("train", "--dataset", dataset.toString(), "--registry", registry.toString(),
        "--models", MODEL, "--conf", conf.toString(), "--master", "local[1]");
  }

  private static List<String> evaluateArgs(Path registry, Path report) {
    return List.of("evaluate", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--report", report.toString(), "--conf", conf.toString(),
        "--master", "local[1]");
  }

  private static List<String> predictArgs(Path out) {
    return List.of("predict", "--dataset", dataset.toString(), "--registry", trained.toString(),
        "--model", MODEL, "--split", "test", "--output", out.toString(), "--overwrite",
        "--conf", conf.toString(), "--master", "local[1]");
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }
}
