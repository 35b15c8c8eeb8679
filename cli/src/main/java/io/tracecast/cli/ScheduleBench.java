package io.tracecast.cli;

import java.io.File;
import java.io.FileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracecast bench schedule}: wall time of whole training runs of (a) one big job with
 * three kinds and (b) many small jobs with two kinds, every job packed (as the pipeline trains),
 * on {@code local[2]} and on a standalone cluster of 2 one-core workers ({@link
 * StandaloneCluster}); optionally (c) the small jobs with one kind, the largest data-parallel
 * beside the packed ones. Each run is the {@code train} command of the jar given, in its own JVM,
 * so a jar built from older code measures the "before" side with the same scenarios; the
 * figure is the train command's own "in N s" (the training run, session start excluded) and the
 * process's wall time.
 */
@Command(name = "schedule",
    description = "Training wall time: 1 big job x 3 kinds, 10 small jobs x 2 kinds; local[2] "
        + "and a 2-worker standalone cluster.")
final class ScheduleBench implements Callable<Integer> {
  private static final long ALL_PACKED = 1_000_000_000L;
  private static final Pattern SUMMARY = Pattern.compile(
      "(\\d+) published, (\\d+) failed, \\d+ jobs skipped in ([0-9.]+) s");

  @Option(names = "--big-dataset", required = true, description = "Dataset with one big job.")
  String bigDataset;
  @Option(names = "--big-models", defaultValue = "mlp,cnn,gru") String bigModels;
  @Option(names = "--small-dataset", required = true, description = "Dataset of small jobs.")
  String smallDataset;
  @Option(names = "--small-models", defaultValue = "mlp,cnn") String smallModels;
  @Option(names = "--jar", required = true, description = "The shaded tracecast jar to measure.")
  Path jar;
  @Option(names = "--spark-classpath", required = true,
      description = "Spark's jars, ':'-separated in a file (cli/target/classpath.txt).")
  Path sparkClasspath;
  @Option(names = "--label", defaultValue = "after",
      description = "Names the code the jar holds in the results (before, after).")
  String label;
  @Option(names = "--epochs", defaultValue = "2",
      description = "Epochs of every network (patience = epochs: no early stop).")
  int epochs;
  @Option(names = "--where", split = ",", defaultValue = "local,cluster",
      description = "local (local[2]) and/or cluster (standalone, 2 one-core workers).")
  List<String> where;
  @Option(names = "--mixed-dp-min-windows", defaultValue = "0",
      description = "> 0: a third run, mixed_10x1, of the small jobs with the small models' first"
          + " kind, jobs with at least this many train windows data-parallel beside the packed.")
  long mixedDpMinWindows;
  @Option(names = "--executor-memory-mb", defaultValue = "2048") int executorMemoryMb;
  @Option(names = "--work", description = "Scratch directory (default: a temp dir).") File work;
  @Option(names = "--results", description = "CSV file to append the figures to.") File results;

  /** @param dpMinWindows data-parallel-min-windows of the run (huge: every job packed) */
  record Scenario(String name, String dataset, String models, long dpMinWindows) {}

  /** One training run: the train command's own seconds, the process's, models published. */
  record Run(Scenario scenario, String where, double trainSeconds, double wallSeconds,
      int published, double loadBefore) {}

  @Override
  public Integer call() throws Exception {
    Path dir = work != null ? work.toPath() : Files.createTempDirectory("tracecast-bench-sched");
    List<Scenario> scenarios = new ArrayList<>(List.of(
        new Scenario("big_1x3", bigDataset, bigModels, ALL_PACKED),
        new Scenario("small_10x2", smallDataset, smallModels, ALL_PACKED)));
    if (mixedDpMinWindows > 0) {
      scenarios.add(new Scenario("mixed_10x1", smallDataset, smallModels.split(",")[0],
          mixedDpMinWindows));
    }
    List<Run> runs = new ArrayList<>();
    if (where.contains("local")) {
      for (Scenario s : scenarios) {
        runs.add(local(dir.resolve("local-" + s.name()), s));
      }
    }
    if (where.contains("cluster")) {
      try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"),
          StandaloneCluster.readClasspath(sparkClasspath), 2, 1, executorMemoryMb + 512,
          Duration.ofMinutes(2))) {
        for (Scenario s : scenarios) {
          runs.add(cluster(cluster, dir.resolve("cluster-" + s.name()), s));
        }
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d epochs, OMP_NUM_THREADS=1, jar %s%n", label, epochs,
        jar.getFileName());
    for (Run r : runs) {
      System.out.printf(Locale.ROOT, "%-10s %-8s %-12s train %7.1f s  process %7.1f s  "
              + "(%d models, load before %.1f)%n", r.scenario().name(), r.where(),
          r.scenario().models(), r.trainSeconds(), r.wallSeconds(), r.published(),
          r.loadBefore());
    }
    if (results != null) {
      append(runs);
    }
    return 0;
  }

  /** -D settings of a run: fixed epochs, the scenario's data-parallel threshold. */
  private List<String> trainProperties(Scenario s) {
    return List.of("-Dtracecast.train.max-epochs=" + epochs,
        "-Dtracecast.train.patience=" + epochs,
        "-Dtracecast.train.data-parallel-min-windows=" + s.dpMinWindows(),
        // from the scenario's threshold on, as the planner would with perfect averaging
        "-Dtracecast.train.data-parallel-efficiency=1",
        "-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
  }

  private List<String> trainArgs(Path dir, Scenario s) {
    return List.of("train", "--dataset", s.dataset(), "--registry",
        dir.resolve("registry").toString(), "--models", s.models());
  }

  private Run local(Path dir, Scenario s) throws Exception {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx4g");
    cmd.addAll(StandaloneCluster.ADD_OPENS);
    cmd.addAll(trainProperties(s));
    cmd.add("-cp");
    cmd.add(jar + File.pathSeparator + Files.readString(sparkClasspath).trim());
    cmd.add(Main.class.getName());
    cmd.addAll(trainArgs(dir, s));
    cmd.addAll(List.of("--master", "local[2]"));
    Path log = dir.resolve("train.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    double load = loadAverage();
    long t0 = System.nanoTime();
    Process p = pb.start();
    return finish(p, t0, log, s, "local[2]", load);
  }

  private Run cluster(StandaloneCluster cluster, Path dir, Scenario s) throws Exception {
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(trainArgs(dir, s));
    args.addAll(List.of("--profile", "standalone"));
    Path log = dir.resolve("train-driver.log");
    double load = loadAverage();
    long t0 = System.nanoTime();
    Process driver = cluster.submit(jar, Main.class.getName(), trainProperties(s),
        Map.of("spark.driver.host", "127.0.0.1", "spark.executor.cores", "1",
            "spark.executor.memory", executorMemoryMb + "m",
            "spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.ADD_OPENS)),
        args, log);
    return finish(driver, t0, log, s, "cluster2", load);
  }

  private Run finish(Process p, long t0, Path log, Scenario s, String where, double load)
      throws Exception {
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(s.name() + " on " + where + " failed, see " + log);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    Matcher m = SUMMARY.matcher(Files.readString(log));
    if (!m.find()) {
      throw new IllegalStateException("no training summary in " + log);
    }
    return new Run(s, where, Double.parseDouble(m.group(3)), wall,
        Integer.parseInt(m.group(1)), load);
  }

  /** The 1-minute load average (the machine is shared: it qualifies every figure). */
  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private void append(List<Run> runs) throws Exception {
    boolean fresh = !results.exists();
    try (FileWriter out = new FileWriter(results, true)) {
      if (fresh) {
        out.write("date,label,scenario,models,epochs,where,train_s,process_s,models_published,"
            + "load_1m\n");
      }
      for (Run r : runs) {
        out.write(String.format(Locale.ROOT, "%s,%s,%s,\"%s\",%d,%s,%.1f,%.1f,%d,%.1f%n",
            java.time.LocalDate.now(), label, r.scenario().name(), r.scenario().models(), epochs,
            r.where(), r.trainSeconds(), r.wallSeconds(), r.published(), r.loadBefore()));
      }
    }
  }
}
