package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.evaluation.EvaluateJob;
import io.tracecast.evaluation.EvaluateRequest;
import io.tracecast.evaluation.EvaluationResult;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.RunMetrics;
import io.tracecast.mlflow.MlflowSettings;
import io.tracecast.training.registry.ModelRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Scores the registry's networks and the classical baselines on the dataset's "
        + "test split (original units), sets each job's champion alias, writes the report "
        + "(comparison.csv/.md, index.html, plots)."})
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  StageOptions stage = new StageOptions();

  @Option(names = "--report", required = true,
      description = "Report directory, local or on any Hadoop filesystem such as hdfs:// "
          + "(replaced atomically).")
  String report;

  @Option(names = "--folds",
      description = "Backtest folds: the test split cut into this many rolling test windows, "
          + "each scored on its own (default: tracecast.evaluate.backtest.folds).")
  Integer folds;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  @Mixin
  MlflowOptions mlflow = new MlflowOptions();

  @Override
  public Integer call() {
    Config config = configOptions.load(mlflow.addTo(folds == null ? Map.of()
        : Map.of(EvaluationSettingsParser.ROOT + ".backtest.folds", folds)));
    EvaluationSettings settings = EvaluationSettingsParser.parse(config);
    MlflowSettings export = MlflowSettings.parse(config);
    SparkSession spark = SparkSessions.create("tracecast-evaluate", configOptions.master, config,
        SparkSessions.threadsPerTask(settings.threadsPerTask()));
    try {
      EvaluationResult r = EvaluateJob.run(spark, new EvaluateRequest(stage.dataset,
          stage.registry(), report, stage.jobs(), settings));
      print(r);
      if (export.enabled()) {
        // every version of the evaluated jobs: the scored ones and whatever champion points at
        java.util.Set<String> evaluated = new java.util.HashSet<>(r.report().champions()
            .keySet());
        r.report().jobScores().forEach(s -> evaluated.add(s.job()));
        MlflowOptions.export(export, ModelRegistry.open(stage.registry(),
            spark.sparkContext().hadoopConfiguration()), v -> evaluated.contains(v.job()), RunMetrics.of(r.report()), System.out);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  static void print(EvaluationResult r) {
    for (Champion c : r.report().champions().values()) {
      System.out.printf(Locale.ROOT, "champion %s: %s (%s)%n", c.job(), c.label(), c.reason());
    }
    r.report().jobScores().stream().filter(s -> s.job().equals(ModelScore.ALL_JOBS))
        .sorted(java.util.Comparator.comparingDouble(s -> s.point().mae()))
        .forEach(s -> System.out.printf(Locale.ROOT, "  all jobs  %-24s MAE %.5g  RMSE %.5g%n",
            s.label(), s.point().mae(), s.point().rmse()));
    System.out.printf(Locale.ROOT, "report %s (%.1f s)%n", r.reportDir(), r.wallSeconds());
  }
}
