package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.autoscale.AutoscaleJob;
import io.tracecast.autoscale.AutoscaleRequest;
import io.tracecast.autoscale.AutoscaleSettingsParser;
import io.tracecast.autoscale.apex.ApexTrainer;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "autoscale", mixinStandardHelpOptions = true,
    description = {"Trains a forecast-driven autoscaling policy (DDPG-style actor-critic, Ape-X",
        "actors as Spark tasks, prioritised replay) on the dataset's train split, each job's",
        "agent observing its forecaster's quantiles up to the start-up delay; picks it on",
        "validation and publishes it to every job as model 'autoscaler' (family policy).",
        "evaluate then compares it with the reactive, upper-quantile and moving-window policies."})
final class AutoscaleCommand implements Callable<Integer> {
  @Mixin
  StageOptions stage = new StageOptions();

  @Option(names = "--forecaster", description = "What each agent observes: an alias of its job "
      + "or a model's latest version (default: tracecast.autoscale.forecaster, champion).")
  String forecaster;

  @Option(names = "--rounds", description = "Ape-X rounds (default: "
      + "tracecast.autoscale.apex.rounds).")
  Integer rounds;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  @Override
  public Integer call() {
    Map<String, Object> flags = new LinkedHashMap<>();
    if (forecaster != null) {
      flags.put(AutoscaleSettingsParser.ROOT + ".forecaster", forecaster);
    }
    if (rounds != null) {
      flags.put(AutoscaleSettingsParser.ROOT + ".apex.rounds", rounds);
    }
    Config config = configOptions.load(flags);
    EvaluationSettings evaluation = EvaluationSettingsParser.parse(config);
    AutoscaleRequest req = new AutoscaleRequest(stage.dataset, stage.registry(),
        AutoscaleSettingsParser.forecaster(config), stage.jobs(), evaluation,
        AutoscaleSettingsParser.agent(config), AutoscaleSettingsParser.apex(config));
    SparkSession spark = SparkSessions.create("tracecast-autoscale", configOptions.master,
        config, SparkSessions.threadsPerTask(1));
    try {
      AutoscaleJob.Result r = AutoscaleJob.run(spark, req, AutoscaleCommand::progress);
      r.notes().forEach(n -> System.out.println("note: " + n));
      System.out.printf(Locale.ROOT, "autoscale: %d train agents, %d validation agents, "
          + "%d transitions, %d learner updates; best validation score %.4f at round %d; "
          + "published to %d jobs in %.1f s%n", r.trainAgents(), r.validationAgents(),
          r.trained().transitions(), r.trained().updates(), r.trained().bestScore(),
          r.trained().bestRound(), r.published().size(), r.seconds());
      r.published().forEach((job, v) -> System.out.println("  " + job + ": " + v.model() + " v"
          + v.version()));
      var h = r.trained().history();
      if (!h.isEmpty()) {
        ApexTrainer.Progress last = h.get(h.size() - 1);
        System.out.printf(Locale.ROOT, "autoscale: actors %.0f environment steps/s (%d in %.1f s "
            + "of actor jobs), learner %.1f updates/s (%d in %.1f s), one decision for %d "
            + "agents %.1f ms; operating points (capacity factor) %s%n",
            last.transitions() / last.actingSeconds(), last.transitions(), last.actingSeconds(),
            last.updates() / last.learningSeconds(), last.updates(), last.learningSeconds(),
            5000, r.decisionMillis(), r.operatingPoints());
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  private static void progress(ApexTrainer.Progress p) {
    double eta = p.seconds() / p.round() * (p.rounds() - p.round());
    System.out.printf(Locale.ROOT, "autoscale: round %d/%d, %d transitions, %d updates, "
        + "validation %s (best %s), %.0f s, ETA %.0f s%n", p.round(), p.rounds(),
        p.transitions(), p.updates(), Double.isNaN(p.validationScore()) ? "-"
            : String.format(Locale.ROOT, "%.4f", p.validationScore()),
        Double.isInfinite(p.bestScore()) ? "-" : String.format(Locale.ROOT, "%.4f",
            p.bestScore()), p.seconds(), eta);
  }
}
