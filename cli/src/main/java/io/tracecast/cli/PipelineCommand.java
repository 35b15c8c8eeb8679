package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.config.EtlSettingsParser;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.evaluation.EvaluateJob;
import io.tracecast.evaluation.EvaluateRequest;
import io.tracecast.evaluation.EvaluationResult;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import io.tracecast.evaluation.report.BacktestTable;
import io.tracecast.evaluation.report.PipelineIndex;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.config.TrainSettingsParser;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"ETL -> train -> evaluate for every sample source (the quickstart), in one "
        + "Spark session; writes <reports>/index.html and summary.md, and a full report per "
        + "source. Settings: tracecast.pipeline (tracecast.pipeline.etl overrides "
        + "tracecast.etl, tracecast.pipeline.train overrides tracecast.train)."})
final class PipelineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--samples", description = "Directory with one sub-directory per source "
      + "(default: tracecast.pipeline.samples).")
  String samples;

  @Option(names = "--sources", split = ",",
      description = "Sources to run (default: tracecast.pipeline.sources).")
  List<String> sources;

  @Option(names = "--work", description = "Datasets and registries go here "
      + "(default: tracecast.pipeline.work).")
  String work;

  @Option(names = "--reports", description = "Report directory (default: tracecast.pipeline.reports).")
  String reports;

  @Option(names = "--models", split = ",",
      description = "Model kinds (default: tracecast.pipeline.train.models).")
  List<String> models;

  @Option(names = "--horizon",
      description = "Steps to forecast (default: tracecast.pipeline.etl.horizon, 12: the next "
          + "hour at 5 minutes).")
  Integer horizon;

  @Option(names = "--folds",
      description = "Backtest folds: rolling test windows per job (default: "
          + "tracecast.evaluate.backtest.folds).")
  Integer folds;

  @Option(names = "--refit", negatable = true,
      description = "Also backtest with refitting: per fold, ETL of the fold -> train -> "
          + "evaluate, then <reports>/<source>/backtest.md beside the normal folds; about K "
          + "more pipelines per source (default: " + REFIT_KEY + ").")
  Boolean refit;

  static final String REFIT_KEY = "tracecast.pipeline.backtest.refit";

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  @Override
  public Integer call() throws Exception {
    Map<String, Object> flags = new LinkedHashMap<>();
    put(flags, "samples", samples);
    put(flags, "sources", sources);
    put(flags, "work", work);
    put(flags, "reports", reports);
    put(flags, "train.models", models);
    put(flags, "etl.horizon", horizon);
    if (folds != null) {
      flags.put(EvaluationSettingsParser.ROOT + ".backtest.folds", folds);
    }
    if (refit != null) {
      flags.put(REFIT_KEY, refit);
    }
    Config config = configOptions.load(flags);
    Config p = config.getConfig("tracecast.pipeline");
    TrainSettings trainSettings = TrainSettingsParser.parse(
        withPipelineOverrides(config, "train", TrainSettingsParser.ROOT));
    Config withPipelineEtl = withPipelineOverrides(config, "etl", EtlSettingsParser.ROOT);
    EvaluationSettings evalSettings = EvaluationSettingsParser.parse(config);
    EtlSettings etlSettings = EtlSettingsParser.parse(withPipelineEtl);
    boolean backtest = refit(config, evalSettings.folds());
    String workDir = p.getString("work");
    // any Hadoop filesystem: a local directory by default, hdfs:// under the DAG
    Path reportRoot = new Path(p.getString("reports"));
    List<String> names = p.getStringList("sources");
    for (String source : names) {
      if (!new File(p.getString("samples"), source).exists()) {
        throw new IllegalArgumentException("tracecast.pipeline.sources: no directory "
            + new File(p.getString("samples"), source) + " for source " + source);
      }
    }
    SparkSession spark = SparkSessions.create("tracecast-pipeline", configOptions.master, config,
        SparkSessions.threadsPerTask(trainSettings.threadsPerTask()));
    List<PipelineIndex.Entry> entries = new ArrayList<>();
    Map<String, BacktestTable> backtests = new LinkedHashMap<>();
    String summary;
    int failed = 0;
    long t0 = System.nanoTime();
    try {
      for (String source : names) {
        String dataset = workDir + "/datasets/" + source;
        String registry = workDir + "/registry/" + source;
        long s0 = System.nanoTime();
        Manifest m = EtlJob.run(spark, new EtlRequest(source,
            List.of(p.getString("samples") + "/" + source), dataset, true, Optional.empty(),
            etlSettings));
        long s1 = System.nanoTime();
        TrainResult trained = TrainJob.run(spark, new TrainRequest(dataset, registry, List.of(),
            trainSettings));
        failed += trained.failed().size();
        trained.failed().forEach(o -> spec.commandLine().getErr().println("tracecast: "
            + source + " " + o.id() + " failed: " + o.error()));
        long s2 = System.nanoTime();
        EvaluationResult r = EvaluateJob.run(spark, new EvaluateRequest(dataset, registry,
            new Path(reportRoot, source).toString(), List.of(), evalSettings));
        long s3 = System.nanoTime();
        entries.add(new PipelineIndex.Entry(source, source, r.report()));
        System.out.printf(Locale.ROOT, "%s: %d rows, %d jobs, %d models published; etl %.0f s,"
                + " train %.0f s, evaluate %.0f s%n", source, m.counts().rowsRead(),
            m.counts().jobs(), trained.published().size(), (s1 - s0) / 1e9, (s2 - s1) / 1e9,
            (s3 - s2) / 1e9);
        if (backtest) {
          RefitBacktest.Outcome b = new RefitBacktest(spark, etlSettings, trainSettings,
              evalSettings, workDir, reportRoot, spec.commandLine().getErr())
              .run(source, List.of(p.getString("samples") + "/" + source));
          failed += b.failedModels();
          backtests.put(source, b.table());
          System.out.printf(Locale.ROOT, "%s: backtest with refitting, %d folds, in %.0f s%n",
              source, evalSettings.folds(), b.seconds());
        }
      }
      summary = PipelineIndex.write(reportRoot.toString(), entries, backtests,
          Instant.now().toString(), spark.sparkContext().hadoopConfiguration());
    } finally {
      spark.stop();
    }
    System.out.println();
    System.out.print(summary);
    System.out.printf(Locale.ROOT, "pipeline done in %.0f s: %s%n", (System.nanoTime() - t0) / 1e9,
        new Path(reportRoot, "index.html"));
    return failed == 0 ? 0 : TrainCommand.SOME_FAILED;
  }

  /**
   * {@code config} with the pipeline's overrides of one stage ({@code tracecast.pipeline.<stage>})
   * laid over that stage's own block ({@code root}, e.g. {@code tracecast.train}): what the
   * pipeline runs the stage with.
   */
  static Config withPipelineOverrides(Config config, String stage, String root) {
    return config.getConfig("tracecast.pipeline").getConfig(stage).atPath(root)
        .withFallback(config);
  }

  /**
   * {@value #REFIT_KEY}, checked at start-up: a backtest with refitting needs at least two
   * folds to have a spread.
   */
  static boolean refit(Config config, int folds) {
    boolean refit;
    try {
      refit = config.getBoolean(REFIT_KEY);
    } catch (com.typesafe.config.ConfigException e) {
      throw new IllegalArgumentException(REFIT_KEY + ": expected true or false ("
          + e.getMessage() + ")", e);
    }
    if (refit && folds < 2) {
      throw new IllegalArgumentException(REFIT_KEY + " = true needs "
          + EvaluationSettingsParser.ROOT + ".backtest.folds >= 2 (--folds), got " + folds);
    }
    return refit;
  }

  private static void put(Map<String, Object> flags, String key, Object value) {
    if (value != null) {
      flags.put("tracecast.pipeline." + key, value);
    }
  }
}
