package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.mlflow.MlflowSettings;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.config.TrainSettingsParser;
import io.tracecast.training.registry.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Dataset -> one model per (job, model kind), published to the registry:",
        "DL4J networks and gradient-boosted trees (gbt), per job, pooled over all jobs",
        "(<kind>_global) or per usage pattern (<kind>_pattern), published under each job.",
        "Exit code 3 when some models failed (listed on stderr); the others are published."})
final class TrainCommand implements Callable<Integer> {
  /** Exit code when the run finished but some (job, model) trainings failed. */
  static final int SOME_FAILED = 3;

  @Spec
  CommandSpec spec;

  @Mixin
  StageOptions stage = new StageOptions();

  @Option(names = "--models", split = ",",
      description = "Model kinds: ${COMPLETION-CANDIDATES} (default: tracecast.train.models).",
      completionCandidates = KindIds.class)
  List<String> models;

  @Option(names = "--seeds", description = "Train each per-job network kind N times, seeds "
      + "seed, seed + 1, ... (default: tracecast.train.seeds).", paramLabel = "N")
  Integer seeds;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  /** Every kind id train accepts, from the one list of kinds. */
  static final class KindIds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return io.tracecast.training.kind.ModelKinds.ids().iterator();
    }
  }

  @Mixin
  MlflowOptions mlflow = new MlflowOptions();

  @Override
  public Integer call() {
    Map<String, Object> flags = new LinkedHashMap<>();
    if (models != null) {
      flags.put("tracecast.train.models", models);
    }
    if (seeds != null) {
      flags.put("tracecast.train.seeds", seeds);
    }
    Config config = configOptions.load(mlflow.addTo(flags));
    TrainSettings settings = TrainSettingsParser.parse(config);
    MlflowSettings export = MlflowSettings.parse(config);
    // OpenMP reads its thread count when the executor JVM loads ND4J: it must be in the
    // executors' environment, one thread per task core.
    SparkSession spark = SparkSessions.create("tracecast-train", configOptions.master, config,
        SparkSessions.threadsPerTask(settings.threadsPerTask()));
    try {
      TrainResult result = TrainJob.run(spark, new TrainRequest(stage.dataset, stage.registry(),
          stage.jobs(), settings));
      for (JobOutcome o : result.published()) {
        // For GBT models the epochs are boosting rounds.
        System.out.printf(Locale.ROOT, "published %s v%d (%s, best epoch %d of %d%s, "
                + "%.0f samples/s, %.1f s)%n", o.id(), o.version(),
            o.mode().name().toLowerCase(Locale.ROOT), o.bestEpoch(), o.epochs(),
            o.resumedFromEpoch() > 0 ? ", resumed after epoch " + o.resumedFromEpoch() : "",
            o.samplesPerSecond(), o.wallSeconds());
      }
      result.skipped().forEach((job, why) -> System.out.println("skipped " + job + ": " + why));
      System.out.printf(Locale.ROOT, "%d published, %d failed, %d jobs skipped in %.1f s%n",
          result.published().size(), result.failed().size(), result.skipped().size(),
          result.wallSeconds());
      if (export.enabled() && !result.published().isEmpty()) {
        java.util.Set<String> published = new java.util.HashSet<>();
        result.published().forEach(o -> published.add(o.id() + "/v" + o.version()));
        MlflowOptions.export(export, ModelRegistry.open(stage.registry(),
            spark.sparkContext().hadoopConfiguration()), v -> published.contains(v.job() + "/" + v.model() + "/v" + v.version()), List.of(),
            System.out);
      }
      if (!result.failed().isEmpty()) {
        // picocli's error writer: stderr, or what the caller of Main.execute passed
        java.io.PrintWriter err = spec.commandLine().getErr();
        err.println("tracecast: " + result.failed().size() + " models failed:");
        result.failed().forEach(o -> err.println("  " + o.id() + ": " + o.error()));
        err.flush();
        return SOME_FAILED;
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}
