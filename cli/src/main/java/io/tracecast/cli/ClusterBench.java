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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracecast bench cluster}: samples/s of one parameter-averaging training job submitted
 * with the shaded jar to a Spark standalone cluster on loopback ({@link StandaloneCluster}) with
 * 1 worker and then 2 workers (1 core each), same dataset, same epochs, and the ratio.
 */
@Command(name = "cluster",
    description = "Parameter averaging on a standalone cluster: 1 vs 2 one-core workers.")
final class ClusterBench implements java.util.concurrent.Callable<Integer> {
  private static final Pattern PUBLISHED = Pattern.compile(
      "published (\\S+) v\\d+ \\(data_parallel, best epoch \\d+ of (\\d+).*?, ([0-9.]+) samples/s, "
          + "([0-9.]+) s\\)");

  @Option(names = "--dataset", required = true, description = "Dataset written by etl.")
  String dataset;
  @Option(names = "--jar", required = true, description = "The shaded tracecast jar.")
  Path jar;
  @Option(names = "--spark-classpath", required = true,
      description = "Spark's jars, ':'-separated in a file (cli/target/classpath.txt).")
  Path sparkClasspath;
  @Option(names = "--epochs", defaultValue = "2") int epochs;
  @Option(names = "--model", defaultValue = "lstm") String model;
  @Option(names = "--conf", description = "HOCON file with the model's settings (units, batch).")
  Path conf;
  @Option(names = "--executor-memory-mb", defaultValue = "1536") int executorMemoryMb;
  @Option(names = "--work", description = "Scratch directory (default: a temp dir).") File work;
  @Option(names = "--results", description = "CSV file to append the figures to.") File results;

  /** One run's figures: the job's samples/s (as the train command reports it) and wall time. */
  record Run(double samplesPerSecond, double trainSeconds, double submitSeconds) {}

  @Override
  public Integer call() throws Exception {
    Path dir = work != null ? work.toPath() : Files.createTempDirectory("tracecast-bench-cluster");
    List<Path> sparkJars = StandaloneCluster.readClasspath(sparkClasspath);
    Run one = run(dir.resolve("workers-1"), sparkJars, 1);
    Run two = run(dir.resolve("workers-2"), sparkJars, 2);
    double ratio = two.samplesPerSecond() / one.samplesPerSecond();
    System.out.printf(Locale.ROOT, "%s parameter averaging, %d epochs, standalone cluster on "
        + "loopback, 1-core workers, OMP_NUM_THREADS=1%n", model, epochs);
    System.out.printf(Locale.ROOT, "1 worker:  %8.0f samples/s  (training %.1f s, submit %.1f s)%n",
        one.samplesPerSecond(), one.trainSeconds(), one.submitSeconds());
    System.out.printf(Locale.ROOT, "2 workers: %8.0f samples/s  (training %.1f s, submit %.1f s)%n",
        two.samplesPerSecond(), two.trainSeconds(), two.submitSeconds());
    System.out.printf(Locale.ROOT, "ratio 2/1: %8.2f%n", ratio);
    if (results != null) {
      boolean fresh = !results.exists();
      try (FileWriter out = new FileWriter(results, true)) {
        if (fresh) {
          out.write("date,model,epochs,workers_1,workers_2,ratio,train_s_1,train_s_2\n");
        }
        out.write(String.format(Locale.ROOT, "%s,%s,%d,%.0f,%.0f,%.2f,%.1f,%.1f%n",
            java.time.LocalDate.now(), model, epochs, one.samplesPerSecond(),
            two.samplesPerSecond(), ratio, one.trainSeconds(), two.trainSeconds()));
      }
    }
    return 0;
  }

  private Run run(Path dir, List<Path> sparkJars, int workers) throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start(dir, sparkJars, workers, 1,
        executorMemoryMb + 512, Duration.ofMinutes(2))) {
      List<String> args = new ArrayList<>(List.of("train", "--dataset", dataset, "--registry",
          dir.resolve("registry").toString(), "--models", model, "--profile", "standalone"));
      if (conf != null) {
        args.add("--conf");
        args.add(conf.toAbsolutePath().toString());
      }
      Path log = dir.resolve("train-driver.log");
      long t0 = System.nanoTime();
      Process driver = cluster.submit(jar, "io.tracecast.cli.Main", List.of(
              // parameter averaging whatever the planner would choose: that is what it times
              "-Dtracecast.train.data-parallel-min-windows=1",
              "-Dtracecast.train.data-parallel-efficiency=1",
              "-Dtracecast.train.max-epochs=" + epochs, "-Dtracecast.train.patience=" + epochs,
              "-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath()),
          Map.of("spark.driver.host", "127.0.0.1", "spark.executor.cores", "1",
              "spark.executor.memory", executorMemoryMb + "m",
              "spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.ADD_OPENS)),
          args, log);
      if (!driver.waitFor(30, TimeUnit.MINUTES) || driver.exitValue() != 0) {
        throw new IllegalStateException("training on " + workers + " workers failed, see " + log);
      }
      double submitSeconds = (System.nanoTime() - t0) / 1e9;
      Matcher m = PUBLISHED.matcher(Files.readString(log));
      if (!m.find()) {
        throw new IllegalStateException("no data-parallel model published, see " + log);
      }
      if (Integer.parseInt(m.group(2)) != epochs) {
        throw new IllegalStateException("trained " + m.group(2) + " epochs, not " + epochs);
      }
      return new Run(Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
          submitSeconds);
    }
  }
}
