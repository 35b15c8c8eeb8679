package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.evaluation.PredictJob;
import io.tracecast.evaluation.PredictRequest;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Batch forecasts with each job's champion (or a named model version), in "
        + "original units, written as Parquet with the model version used: by default, per "
        + "series the next horizon steps after its last observed point (origin, step, "
        + "target_time, forecast = p50, p10/p90 and p5/p95 where evaluate calibrated "
        + "intervals, model, version; actual empty)."})
final class PredictCommand implements Callable<Integer> {
  @Mixin
  StageOptions stage = new StageOptions();

  @Option(names = "--output", required = true, description = "Parquet directory to write.")
  String output;

  @Option(names = "--alias", defaultValue = "champion",
      description = "Registry alias of each job's model (default: ${DEFAULT-VALUE}).")
  String alias;

  @Option(names = "--model", description = "Use this model kind for every job instead of the alias.")
  String model;

  @Option(names = "--version", defaultValue = "latest",
      description = "With --model: vN or latest (default: ${DEFAULT-VALUE}).")
  String version;

  @Option(names = "--at", paramLabel = "WHERE",
      description = {"Where the forecasts start: future (default: per series the next horizon "
          + "steps after its last observed point, origin = that point, actual empty) or "
          + "last-window (each series' last complete window, whose targets are already in the "
          + "data: a back-test of the latest steps)."})
  String at;

  @Option(names = "--split", paramLabel = "SPLIT",
      description = {"Score every window of this split instead (train, validation or test; "
          + "latest = --at last-window). Not with --at."})
  String split;

  @Option(names = "--input", arity = "1..*", paramLabel = "FILE",
      description = {"Fresh raw trace files (files, directories or globs; e.g. the latest "
          + "hours) in the dataset's source format: read and cleaned as the dataset's inputs "
          + "were, scaled with its scalers (never refitted), and forecast from their last "
          + "observed step (--at future only). Every series must be in the dataset."})
  java.util.List<String> inputs = java.util.List.of();

  @Option(names = "--source", paramLabel = "S",
      description = "With --input: the files' trace format; must be the dataset's "
          + "(default: the dataset's, from its manifest).")
  String source;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();


  /** {@code --at} or {@code --split}, whichever is given (not both); future by default. */
  static PredictRequest.Windows windows(String at, String split) {
    if (at != null && split != null) {
      throw new IllegalArgumentException("--at " + at + " and --split " + split
          + ": give one of them (--at future|last-window, or --split train|validation|test)");
    }
    if (split != null) {
      PredictRequest.Windows w = PredictRequest.Windows.parse(split);
      if (w == PredictRequest.Windows.FUTURE) {
        throw new IllegalArgumentException("--split future: use --at future");
      }
      return w;
    }
    if (at == null) {
      return PredictRequest.Windows.FUTURE;
    }
    PredictRequest.Windows w = PredictRequest.Windows.parse(at);
    if (w.split().isPresent()) {
      throw new IllegalArgumentException("--at " + at + ": expected future or last-window "
          + "(a whole split is --split " + at + ")");
    }
    return w;
  }

  @Override
  public Integer call() {
    PredictRequest.Windows windows = windows(at, split);
    Config config = configOptions.load(Map.of());
    EvaluationSettings settings = EvaluationSettingsParser.parse(config);
    SparkSession spark = SparkSessions.create("tracecast-predict", configOptions.master, config,
        SparkSessions.threadsPerTask(settings.threadsPerTask()));
    try {
      PredictJob.Result r = PredictJob.run(spark, new PredictRequest(stage.dataset,
          stage.registry(), output, model == null ? alias : version, model, windows, stage.jobs(),
          overwrite, settings.batchSize(), inputs, source));
      r.versions().forEach((job, v) -> System.out.printf("%s: %s v%d%s%n", job, v.model(),
          v.version(), r.borrowed().containsKey(job) ? " of " + v.job() + " (no model of its "
              + "own: pattern " + r.borrowed().get(job).pattern() + " of dataset "
              + r.borrowed().get(job).patternsOf() + ")" : ""));
      r.skippedJobs().forEach(j -> System.out.println("skipped " + j + ": no model '"
          + (model == null ? alias : model) + "'"));
      System.out.printf("wrote %d forecasts to %s%n", r.rows(), r.output());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
