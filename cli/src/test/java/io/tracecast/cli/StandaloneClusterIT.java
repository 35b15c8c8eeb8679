package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.ManifestIo;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The shaded jar on a real Spark standalone cluster (master + 2 one-core workers on loopback,
 * separate JVMs), submitted through SparkSubmit in client mode: ETL -> train -> evaluate on a
 * cut of the Bitbrains sample. Training is data-parallel (parameter averaging); once its first
 * epoch is checkpointed, one worker and its executor are killed, and the run must still publish
 * the model, or fail that model cleanly (exit 3, listed). Logs: target/cluster-it/.
 */
class StandaloneClusterIT {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));
  private static final Path TARGET = Paths.get("target").toAbsolutePath();
  /** Lines kept per Bitbrains VM file (header included): 6 VMs, ~2.5 k train windows. */
  private static final int ROWS_PER_FILE = 600;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

  /** One spark-submit of a tracecast subcommand; skipped while Main has no such subcommand. */
  record Step(String command, List<String> args, WhileRunning whileRunning, Check check) {}

  @FunctionalInterface
  interface WhileRunning {
    void watch(Process driver) throws Exception;
  }

  @FunctionalInterface
  interface Check {
    void check(int exitCode, String driverLog) throws Exception;
  }

  private Path work;
  private StandaloneCluster cluster;
  private volatile boolean workerKilled;

  @Test
  @Timeout(value = 9, unit = TimeUnit.MINUTES)
  void etlTrainEvaluateOnStandaloneClusterSurvivingALostWorker() throws Exception {
    work = Files.createDirectories(TARGET.resolve("cluster-it"));
    deleteRecursively(work);
    Files.createDirectories(work);
    Path input = cutSample(work.resolve("input/2013-7"));
    Path jar = Paths.get(System.getProperty("tracecast.jar"));
    assertTrue(Files.isRegularFile(jar), "the shaded jar " + jar + " (run after package)");
    List<Path> sparkJars = StandaloneCluster.readClasspath(
        Paths.get(System.getProperty("tracecast.spark.classpath")));
    try (StandaloneCluster c = StandaloneCluster.start(work.resolve("cluster"), sparkJars, 2, 1,
        1536, Duration.ofMinutes(2))) {
      cluster = c;
      for (Step step : pipeline(input.getParent())) {
        if (!new CommandLine(new Main()).getSubcommands().containsKey(step.command())) {
          System.out.println("cluster IT: no `tracecast " + step.command() + "` yet, step skipped");
          continue;
        }
        run(jar, step);
      }
    }
  }

  /** The pipeline as data: adding a stage is one more entry. */
  private List<Step> pipeline(Path input) throws IOException {
    String dataset = work.resolve("dataset").toString();
    String registry = work.resolve("registry").toString();
    Path conf = work.resolve("small.conf");
    Files.writeString(conf, "tracecast.train { max-epochs = 2, patience = 2, batch-size = 64, "
        + "learning-rate = 0.01, units { lstm = [8] } }\n");
    return List.of(
        new Step("etl", List.of("--source", "bitbrains", "--input", input.toString(),
            "--output", dataset, "--lookback", "6", "--profile", "standalone"),
            driver -> { }, (code, log) -> {
              assertEquals(0, code, "etl exit code; " + log);
              Manifest m = ManifestIo.read(dataset, new Configuration());
              // 6 files of ROWS_PER_FILE - 1 rows after the header, all valid readings
              assertEquals(6L * (ROWS_PER_FILE - 1), m.counts().rowsRead(), log);
              assertEquals(m.counts().rowsRead(), m.counts().rowsAccepted(), log);
              assertEquals(1L, m.counts().jobs());
              assertTrue(m.counts().windows().get("train") > 2000, m.counts().toString());
            }),
        // Every job data-parallel: the parameter-averaging path, across both executors.
        new Step("train", List.of("--dataset", dataset, "--registry", registry, "--models",
            "lstm", "--conf", conf.toString(), "--profile", "standalone"),
            driver -> killAWorkerAfterTheFirstEpoch(driver, Paths.get(registry, "_checkpoints")),
            (code, log) -> {
              assertTrue(workerKilled, "a worker was killed while training; " + log);
              assertTrue(log.contains("Lost executor"), "the driver saw it; " + log);
              List<ModelVersion> versions = ModelRegistry.open(registry, new Configuration())
                  .list();
              if (code == 0) {
                assertEquals(1, versions.size(), versions.toString());
                assertEquals("2013-7", versions.get(0).job());
                assertTrue(log.contains("published 2013-7/lstm v1 (data_parallel"), log);
              } else {
                assertEquals(TrainCommand.SOME_FAILED, code, "train exit code; " + log);
                assertTrue(log.contains("2013-7/lstm:"), "the failed model is listed; " + log);
              }
            }),
        new Step("evaluate", List.of("--dataset", dataset, "--registry", registry, "--report",
            work.resolve("report").toString()), driver -> { }, (code, log) -> {
              assertEquals(0, code, "evaluate exit code; " + log);
              try (Stream<Path> files = Files.list(work.resolve("report"))) {
                assertTrue(files.findAny().isPresent(), "the report directory is empty");
              }
            }));
  }

  private void run(Path jar, Step step) throws Exception {
    Path log = work.resolve(step.command() + "-driver.log");
    List<String> args = new ArrayList<>();
    args.add(step.command());
    args.addAll(step.args());
    long t0 = System.nanoTime();
    Process driver = cluster.submit(jar, "io.tracecast.cli.Main",
        // every network eligible, averaging taken as scaling perfectly: the planner sends the
        // one job's network data-parallel over both executors
        List.of("-Dtracecast.train.data-parallel-min-windows=1",
            "-Dtracecast.train.data-parallel-efficiency=1",
            "-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties")),
        submitConf(), args, log);
    step.whileRunning().watch(driver);
    if (!driver.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      fail(step.command() + " did not finish in " + STEP_TIMEOUT + "; driver log " + log);
    }
    String text = Files.readString(log);
    System.out.printf("cluster IT: %s exit %d in %.1f s%n", step.command(), driver.exitValue(),
        (System.nanoTime() - t0) / 1e9);
    step.check().check(driver.exitValue(), text);
  }

  /** What a user passes for this small cluster, over the standalone profile's sizes. */
  static Map<String, String> submitConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.executor.cores", "1");
    conf.put("spark.executor.memory", "1g");
    conf.put("spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.ADD_OPENS));
    conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
    conf.put("spark.sql.shuffle.partitions", "2");
    return conf;
  }

  private void killAWorkerAfterTheFirstEpoch(Process driver, Path checkpoints) throws Exception {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && driver.isAlive()) {
      if (hasFile(checkpoints, "state.json")) {
        cluster.killWorker(1);
        workerKilled = true;
        System.out.println("cluster IT: worker 2 killed after the first checkpoint");
        return;
      }
      Thread.sleep(100);
    }
  }

  private static boolean hasFile(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(name));
    } catch (java.io.UncheckedIOException e) {
      return false; // a file moved while walking: the next poll sees it
    }
  }

  /** The first ROWS_PER_FILE lines (header included) of each Bitbrains sample file. */
  private static Path cutSample(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(ROOT.resolve("data/samples/bitbrains/2013-7"))) {
      for (Path gz : files.filter(p -> p.toString().endsWith(".csv.gz")).toList()) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(
                 dir.resolve(gz.getFileName().toString().replace(".gz", ""))))) {
          String line;
          for (int i = 0; i < ROWS_PER_FILE && (line = in.readLine()) != null; i++) {
            out.println(line);
          }
        }
      }
    }
    return dir;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertFalse(Files.exists(dir));
  }
}
