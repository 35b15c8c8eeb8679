package io.tracecast.cli;

import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
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
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracecast bench cluster}: training jobs submitted with the shaded jar to a Spark
 * standalone cluster on loopback ({@link StandaloneCluster}) of 1-core workers, once per worker
 * count and mode, same dataset, same epochs. {@code parallel} forces parameter averaging for
 * every network ({@code data-parallel-min-windows = 1}, efficiency 1: the planner's choice if
 * averaging scaled perfectly); {@code packed} keeps every network one task. The default (one
 * model, parallel, 1 then 2 workers) prints the 2/1 ratio of samples/s and appends it to
 * {@code --results}; every run's per-model figures (execution, samples/s, fit and submit
 * seconds, validation MAE at the best epoch) go to {@code --runs}.
 */
@Command(name = "cluster",
    description = "Training on a standalone cluster of 1-core workers: worker counts x modes "
        + "(parallel = parameter averaging, packed = one task per network).")
final class ClusterBench implements java.util.concurrent.Callable<Integer> {
  private static final Pattern PUBLISHED = Pattern.compile(
      "published (\\S+)/(\\S+) v\\d+ \\((\\w+), best epoch (\\d+) of (\\d+).*?, ([0-9.]+) "
          + "samples/s, ([0-9.]+) s\\)");

  @Option(names = "--dataset", required = true, description = "Dataset written by etl.")
  String dataset;
  @Option(names = "--jar", required = true, description = "The shaded tracecast jar.")
  Path jar;
  @Option(names = "--spark-classpath", required = true,
      description = "Spark's jars, ':'-separated in a file (cli/target/classpath.txt).")
  Path sparkClasspath;
  @Option(names = "--epochs", defaultValue = "2") int epochs;
  @Option(names = {"--models", "--model"}, split = ",", defaultValue = "lstm",
      description = "Network kinds, trained in one train command per run (default lstm).")
  List<String> models;
  @Option(names = "--workers", split = ",", defaultValue = "1,2",
      description = "Worker counts, one cluster each (default 1,2).")
  List<Integer> workers;
  @Option(names = "--modes", split = ",", defaultValue = "parallel",
      description = "parallel (parameter averaging forced) and/or packed (default parallel).")
  List<Mode> modes;
  @Option(names = "--conf", description = "HOCON file with the model's settings (units, batch).")
  Path conf;
  @Option(names = "--executor-memory-mb", defaultValue = "1536") int executorMemoryMb;
  @Option(names = "--work", description = "Scratch directory (default: a temp dir).") File work;
  @Option(names = "--results",
      description = "CSV file to append the 1-vs-2-worker ratio to (one model, parallel only).")
  File results;
  @Option(names = "--runs", description = "CSV file to append every run's per-model figures to.")
  File runs;

  /** How a run trains its networks; the names are the option's and the CSV's values. */
  enum Mode {
    /** Parameter averaging forced for every network. */
    parallel,
    /** Every network one task. */
    packed
  }

  /** One model's figures in one run, as the train command reports them. */
  record Fit(String model, String execution, int bestEpoch, int epochs,
      double samplesPerSecond, double fitSeconds, double validationMae) {}

  /** One train command on one cluster: its wall time (submit to exit) and every model's fit. */
  record Run(Mode mode, int workers, double submitSeconds, List<Fit> fits) {
    Fit fit(String model) {
      return fits.stream().filter(f -> f.model().equals(model)).findFirst().orElseThrow();
    }
  }

  @Override
  public Integer call() throws Exception {
    Path dir = work != null ? work.toPath() : Files.createTempDirectory("tracecast-bench-cluster");
    List<Path> sparkJars = StandaloneCluster.readClasspath(sparkClasspath);
    List<Run> done = new ArrayList<>();
    for (Mode mode : modes) {
      for (int n : workers) {
        Run r = run(dir.resolve(mode + "-workers-" + n), sparkJars, n, mode);
        done.add(r);
        for (Fit f : r.fits()) {
          System.out.printf(Locale.ROOT, "%-8s %d worker(s) %-10s %-13s %8.0f samples/s  fit "
              + "%7.1f s  validation MAE %.5f (epoch %d of %d)  train command %.1f s%n", mode, n,
              f.model(), f.execution(), f.samplesPerSecond(), f.fitSeconds(), f.validationMae(),
              f.bestEpoch(), f.epochs(), r.submitSeconds());
        }
      }
    }
    if (runs != null) {
      appendRuns(done);
    }
    ratio(done);
    return 0;
  }

  /** The original figure: one model's parameter averaging with 2 workers over 1 worker. */
  private void ratio(List<Run> done) throws java.io.IOException {
    Run one = done.stream().filter(r -> r.mode() == Mode.parallel && r.workers() == 1)
        .findFirst().orElse(null);
    Run two = done.stream().filter(r -> r.mode() == Mode.parallel && r.workers() == 2)
        .findFirst().orElse(null);
    if (one == null || two == null || models.size() != 1) {
      return;
    }
    Fit a = one.fit(models.get(0));
    Fit b = two.fit(models.get(0));
    double ratio = b.samplesPerSecond() / a.samplesPerSecond();
    System.out.printf(Locale.ROOT, "%s parameter averaging, %d epochs: ratio 2/1 workers %.2f%n",
        models.get(0), epochs, ratio);
    if (results != null) {
      boolean fresh = !results.exists();
      try (FileWriter out = new FileWriter(results, true)) {
        if (fresh) {
          out.write("date,model,epochs,workers_1,workers_2,ratio,train_s_1,train_s_2\n");
        }
        out.write(String.format(Locale.ROOT, "%s,%s,%d,%.0f,%.0f,%.2f,%.1f,%.1f%n",
            java.time.LocalDate.now(), models.get(0), epochs, a.samplesPerSecond(),
            b.samplesPerSecond(), ratio, a.fitSeconds(), b.fitSeconds()));
      }
    }
  }

  private void appendRuns(List<Run> done) throws java.io.IOException {
    boolean fresh = !runs.exists() || runs.length() == 0;
    try (FileWriter out = new FileWriter(runs, true)) {
      if (fresh) {
        out.write("date,mode,workers,epochs,train_command_s,model,execution,fit_s,samples_per_s,"
            + "best_epoch,validation_mae\n");
      }
      for (Run r : done) {
        for (Fit f : r.fits()) {
          out.write(String.format(Locale.ROOT, "%s,%s,%d,%d,%.1f,%s,%s,%.1f,%.0f,%d,%.5f%n",
              java.time.LocalDate.now(), r.mode(), r.workers(), epochs, r.submitSeconds(),
              f.model(), f.execution(), f.fitSeconds(), f.samplesPerSecond(), f.bestEpoch(),
              f.validationMae()));
        }
      }
    }
  }

  private Run run(Path dir, List<Path> sparkJars, int workerCount, Mode mode)
      throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start(dir, sparkJars, workerCount, 1,
        executorMemoryMb + 512, Duration.ofMinutes(2))) {
      Path registry = dir.resolve("registry");
      List<String> args = new ArrayList<>(List.of("train", "--dataset", dataset, "--registry",
          registry.toString(), "--models", String.join(",", models), "--profile",
          "standalone"));
      if (conf != null) {
        args.add("--conf");
        args.add(conf.toAbsolutePath().toString());
      }
      Path log = dir.resolve("train-driver.log");
      long t0 = System.nanoTime();
      Process driver = cluster.submit(jar, "io.tracecast.cli.Main", List.of(
              // parallel: parameter averaging whatever the planner would choose (what it times);
              // packed: never
              "-Dtracecast.train.data-parallel-min-windows="
                  + (mode == Mode.parallel ? "1" : "1000000000"),
              "-Dtracecast.train.data-parallel-efficiency=1",
              "-Dtracecast.train.max-epochs=" + epochs, "-Dtracecast.train.patience=" + epochs,
              "-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath()),
          Map.of("spark.driver.host", "127.0.0.1", "spark.executor.cores", "1",
              "spark.executor.memory", executorMemoryMb + "m",
              "spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.ADD_OPENS)),
          args, log);
      if (!driver.waitFor(60, TimeUnit.MINUTES) || driver.exitValue() != 0) {
        throw new IllegalStateException("training on " + workerCount + " workers failed, see "
            + log);
      }
      double submitSeconds = (System.nanoTime() - t0) / 1e9;
      List<Fit> fits = new ArrayList<>();
      for (Published p : published(Files.readString(log))) {
        if (p.epochs() != epochs) {
          throw new IllegalStateException(p.model() + " trained " + p.epochs() + " epochs, not "
              + epochs);
        }
        fits.add(new Fit(p.model(), p.execution(), p.bestEpoch(), p.epochs(),
            p.samplesPerSecond(), p.fitSeconds(),
            validationMae(registry, p.job(), p.model(), p.bestEpoch())));
      }
      if (fits.size() < models.size()) {
        throw new IllegalStateException("published " + fits.size() + " of " + models.size()
            + " models, see " + log);
      }
      return new Run(mode, workerCount, submitSeconds, fits);
    }
  }

  /** One "published" line of the train command's output. */
  record Published(String job, String model, String execution, int bestEpoch, int epochs,
      double samplesPerSecond, double fitSeconds) {}

  /** Every model the train command's output says it published, in order. */
  static List<Published> published(String trainOutput) {
    Matcher m = PUBLISHED.matcher(trainOutput);
    List<Published> out = new ArrayList<>();
    while (m.find()) {
      out.add(new Published(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5)), Double.parseDouble(m.group(6)),
          Double.parseDouble(m.group(7))));
    }
    return out;
  }

  /** The validation MAE the registry recorded for the model's best epoch. */
  private static double validationMae(Path registry, String job, String model, int bestEpoch) {
    var meta = ModelRegistry.open(registry.toString(), new Configuration())
        .metadata(job, model, VersionRef.version(1));
    return meta.history().epochs().get(bestEpoch - 1).validationMae();
  }
}
