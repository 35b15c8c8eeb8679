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
        + "original units, written as Parquet with the model version used."})
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

  @Option(names = "--split", defaultValue = "latest",
      description = "latest (last window of every series), train, validation or test.")
  String split;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();


  @Override
  public Integer call() {
    PredictRequest.Windows windows = PredictRequest.Windows.parse(split);
    Config config = configOptions.load(Map.of());
    EvaluationSettings settings = EvaluationSettingsParser.parse(config);
    SparkSession spark = SparkSessions.create("tracecast-predict", configOptions.master, config,
        SparkSessions.threadsPerTask(settings.threadsPerTask()));
    try {
      PredictJob.Result r = PredictJob.run(spark, new PredictRequest(stage.dataset,
          stage.registry(), output, model == null ? alias : version, model, windows, stage.jobs(),
          overwrite, settings.batchSize()));
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
