package io.tracecast.evaluation.autoscaling;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.provisioning.ReactiveAutoscaler;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * Every autoscaling policy the registry holds for a dataset's jobs, side by side with the three
 * policies that do not learn, on the same test steps of the same series: per job and pooled
 * ({@link #ALL_JOBS}), and one series' capacity against its usage per policy for the plot.
 *
 * @param rows per job and policy, then the pooled rows
 * @param plot the first scored series: its usage and each policy's capacity
 */
public record PolicyComparison(List<Row> rows, CapacityPlot plot, List<String> notes) {
  public static final String ALL_JOBS = "(all jobs)";

  public record Row(String job, String policy, PolicyOutcome outcome) {}

  /** Usage and each policy's capacity over the first {@code steps} of one series. */
  public record CapacityPlot(String job, String series, long startMillis, long stepSeconds,
      double[] usage, Map<String, double[]> capacity) {}

  /** The comparison, or null when the registry holds no policy for these jobs. */
  public static PolicyComparison of(SparkSession spark, DatasetReader reader,
      ModelRegistry registry, List<String> jobs, EvaluationSettings s, int plotSteps) {
    Manifest m = reader.manifest();
    List<String> notes = new ArrayList<>();
    Map<String, ModelVersion> policies = new TreeMap<>();
    Map<String, ModelVersion> observed = new TreeMap<>();
    for (String job : jobs) {
      if (registry.versions(job, LearnedPolicy.MODEL).isEmpty()) {
        continue;
      }
      ModelVersion p = registry.resolve(job, LearnedPolicy.MODEL, VersionRef.parse("latest"));
      Lineage.Start f = registry.metadata(p).lineage().observed();
      try {
        observed.put(job, registry.resolve(f.job(), f.model(), VersionRef.version(f.version())));
        policies.put(job, p);
      } catch (IllegalArgumentException e) {
        notes.add(job + ": " + p.model() + " v" + p.version() + " not scored: the forecaster it "
            + "observed is gone (" + e.getMessage() + ")");
      }
    }
    if (policies.isEmpty()) {
      return null;
    }
    int delay = s.startupDelaySteps(m.stepSeconds(), m.horizon());
    AutoscalingSettings a = s.autoscaling();
    ObservedTraces.Built built = ObservedTraces.of(spark, reader, registry, observed, Split.TEST,
        delay, CapacityEnvironment.minLength(a, delay), s.batchSize());
    if (built.dropped() > 0) {
      notes.add("autoscaling: " + built.dropped() + " test steps in runs too short to simulate "
          + "or of all-zero usage were left out");
    }
    ReactiveAutoscaler reactive = new ReactiveAutoscaler(s.provisioning());
    Map<String, List<LearnedPolicy>> learned = new TreeMap<>();
    Map<String, Map<String, EpisodeAccount>> byJob = new TreeMap<>();
    Map<String, EpisodeAccount> pooled = new LinkedHashMap<>();
    CapacityPlot plot = null;
    for (DemandTrace t : built.traces()) {
      // the policy as trained, then at each operating point its version matched on validation
      List<ScalingPolicy> all = new ArrayList<>(learned.computeIfAbsent(t.job(), j -> {
        LearnedPolicy base = LearnedPolicy.load(registry, policies.get(j));
        List<LearnedPolicy> points = new ArrayList<>(List.of(base));
        LearnedPolicy.operatingPoints(registry, policies.get(j)).forEach((baseline, factor) ->
            points.add(base.at(LearnedPolicy.pointName(baseline), factor)));
        return points;
      }));
      all.addAll(List.of(new ThresholdPolicy(reactive), new UpperQuantilePolicy(s.provisioning()),
          new MovingWindowRecommender(a.movingWindow())));
      Map<String, double[]> capacities = new LinkedHashMap<>();
      for (ScalingPolicy p : all) {
        CapacityEnvironment env = new CapacityEnvironment(t, a, s.provisioning().minProvision())
            .startWhole(s.provisioning().headroom());
        EpisodeAccount account = p.run(env);
        String name = p.name();
        byJob.computeIfAbsent(t.job(), j -> new LinkedHashMap<>())
            .computeIfAbsent(name, n -> new EpisodeAccount(t.stepSeconds(), a.reward()))
            .merge(account);
        pooled.computeIfAbsent(name, n -> new EpisodeAccount(t.stepSeconds(), a.reward()))
            .merge(account);
        if (plot == null) { // only the first series is plotted
          capacities.put(name, java.util.Arrays.copyOf(env.capacities(),
              Math.min(plotSteps, t.length())));
        }
      }
      if (plot == null) {
        plot = new CapacityPlot(t.job(), t.series(), t.startMillis(), t.stepSeconds(),
            java.util.Arrays.copyOf(t.demand(), Math.min(plotSteps, t.length())), capacities);
      }
    }
    List<Row> rows = new ArrayList<>();
    byJob.forEach((job, accounts) -> accounts.forEach((name, acc) ->
        rows.add(new Row(job, name, acc.outcome()))));
    pooled.forEach((name, acc) -> rows.add(new Row(ALL_JOBS, name, acc.outcome())));
    policies.forEach((job, p) -> notes.add("autoscaling: " + job + " acted by " + p.model()
        + " v" + p.version() + " (as trained, and at operating factors "
        + learned.getOrDefault(job, List.of()).stream().skip(1)
            .map(l -> l.name() + " = " + String.format(java.util.Locale.ROOT, "%.3g", l.factor()))
            .toList()
        + "), observing " + observed.get(job).model() + " v" + observed.get(job).version()));
    return new PolicyComparison(rows, plot, notes);
  }
}
