package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.evaluation.report.TunePlot;
import io.tracecast.training.TuneJob;
import io.tracecast.training.TuneOutcome;
import io.tracecast.training.TuneRequest;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.config.TrainSettingsParser;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.tune.KindSearch;
import io.tracecast.training.tune.Trial;
import io.tracecast.training.tune.TrialsCsv;
import io.tracecast.training.tune.TuneSettings;
import io.tracecast.training.tune.TuneSettingsParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tune", mixinStandardHelpOptions = true,
    description = {"Hyperparameter search per (job, network kind): trials run as Spark tasks,",
        "proposed by TPE (or at random) and pruned by the median stopping rule; the best spec",
        "(never worse than the default on validation, which is trial 0) is published as",
        "<kind>_hpo. Writes trials.csv and PNGs per job and kind under --output, and",
        "summary.csv. A killed run resumes from its trial log (next to the checkpoints).",
        "Exit code 3 when some searches failed."})
final class TuneCommand implements Callable<Integer> {
  @Mixin
  StageOptions stage = new StageOptions();

  @Option(names = "--models", split = ",",
      description = "Network kinds to tune, e.g. mlp,cnn (default: the network kinds of "
          + "tracecast.train.models).")
  List<String> models;

  @Option(names = "--trials", description = "Trials per job and kind (tracecast.tune.trials).")
  Integer trials;

  @Option(names = "--parallelism",
      description = "Trials in flight at once (tracecast.tune.parallelism).")
  Integer parallelism;

  @Option(names = "--search", description = "tpe or random (tracecast.tune.search).")
  String search;

  @Option(names = "--seed", description = "Seed of the proposals (tracecast.tune.seed).")
  Long seed;

  @Option(names = "--output",
      description = "Local directory for trials.csv, PNGs, summary.csv (default: "
          + "<registry>/" + RegistryLayout.TUNE_DIR + ").")
  String output;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  @Override
  public Integer call() throws IOException {
    Map<String, Object> flags = new LinkedHashMap<>();
    if (models != null) {
      flags.put("tracecast.train.models", models);
    }
    putIf(flags, "trials", trials);
    putIf(flags, "parallelism", parallelism);
    putIf(flags, "search", search);
    putIf(flags, "seed", seed);
    Config config = configOptions.load(flags);
    TrainSettings train = TrainSettingsParser.parse(config);
    TuneSettings tune = TuneSettingsParser.parse(config);
    List<NetworkArchitecture> kinds = train.models().stream()
        .filter(k -> k.scope() == Scope.JOB && k.architecture() instanceof NetworkArchitecture)
        .map(ModelKind::network).toList();
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("--models: tune searches network kinds, got "
          + config.getStringList("tracecast.train.models"));
    }
    SparkSession spark = SparkSessions.create("tracecast-tune", configOptions.master, config,
        SparkSessions.threadsPerTask(train.threadsPerTask()));
    try {
      int lookback = DatasetReader.open(spark, stage.dataset).manifest().lookback();
      kinds.forEach(k -> TuneSettingsParser.checkLookback(config, tune.space(k), lookback));
      List<TuneOutcome> outcomes = TuneJob.run(spark, new TuneRequest(stage.dataset,
          stage.registry(), stage.jobs(), kinds, train, tune));
      Path out = Path.of(output == null ? RegistryLayout.tuneReports(stage.registry()) : output);
      StringBuilder summary = new StringBuilder("job,model,trials,complete,pruned,failed,"
          + "default_validation_mae,best_validation_mae,best_trial,epochs_run,"
          + "epochs_without_pruning_estimate,pruned_share,wall_seconds,version\n");
      long failed = 0;
      for (TuneOutcome o : outcomes) {
        if (o.error() != null) {
          failed++;
          System.err.println("tune " + o.job() + "/" + o.kind().id() + " failed: " + o.error());
          continue;
        }
        write(out.resolve(o.job()).resolve(o.kind().id()), o);
        summary.append(summaryRow(o));
        System.out.print(describe(o));
      }
      Files.createDirectories(out);
      Files.writeString(out.resolve("summary.csv"), summary);
      System.out.println("wrote " + out.resolve("summary.csv"));
      return failed > 0 ? TrainCommand.SOME_FAILED : 0;
    } finally {
      spark.stop();
    }
  }

  private static void putIf(Map<String, Object> flags, String key, Object value) {
    if (value != null) {
      flags.put(TuneSettingsParser.ROOT + "." + key, value);
    }
  }

  private static void write(Path dir, TuneOutcome o) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("trials.csv"), TrialsCsv.of(o.trials()));
      String title = o.job() + " " + KindSearch.modelName(o.kind());
      Files.write(dir.resolve("trials.png"), TunePlot.byTrial(title + ": validation MAE per "
          + "trial", o.trials()));
      for (Map.Entry<String, byte[]> e : TunePlot.byParameter(title, o.trials()).entrySet()) {
        Files.write(dir.resolve("param-" + e.getKey() + ".png"), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e, e);
    }
  }

  private static String summaryRow(TuneOutcome o) {
    Trial best = o.winner().orElseThrow();
    return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.6g,%.6g,%d,%d,%.1f,%.4f,%.1f,%d%n",
        o.job(), KindSearch.modelName(o.kind()), o.trials().size(),
        o.count(Trial.Status.COMPLETE), o.count(Trial.Status.PRUNED),
        o.count(Trial.Status.FAILED),
        o.defaultTrial().map(Trial::objective).orElse(Double.NaN), best.objective(),
        best.number(), o.epochsRun(), o.epochsWithoutPruning(), o.prunedShare(),
        o.wallSeconds(), o.version());
  }

  private static String describe(TuneOutcome o) {
    Trial best = o.winner().orElseThrow();
    return String.format(Locale.ROOT, "%s/%s: %d trials (%d pruned, %d failed), validation MAE "
            + "%.5g (default %.5g), best trial %d %s; %d epochs run, ~%.0f without pruning "
            + "(%.0f%% saved); %.1f s; published %s v%d%n", o.job(), o.kind().id(),
        o.trials().size(), o.count(Trial.Status.PRUNED), o.count(Trial.Status.FAILED),
        best.objective(), o.defaultTrial().map(Trial::objective).orElse(Double.NaN),
        best.number(), best.params(), o.epochsRun(), o.epochsWithoutPruning(),
        100 * o.prunedShare(), o.wallSeconds(), KindSearch.modelName(o.kind()), o.version());
  }
}
