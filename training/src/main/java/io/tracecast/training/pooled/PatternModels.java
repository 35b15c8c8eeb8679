package io.tracecast.training.pooled;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.config.PatternSettings;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.pattern.PatternClustering;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.plan.DataParallelRule;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.run.RunContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pattern-pooled models of a run: the dataset's usage patterns are fitted and stored in the
 * registry once, then {@code gbt_pattern} and {@code <kind>_pattern} train one model per pattern
 * over its member jobs' windows and publish it under each member job (as {@code gbt_global}
 * does for all jobs), and {@code <kind>_tuned} fine-tunes each job's pattern network on the
 * job's own windows. Every version carries its pattern's {@link Lineage.Pattern}.
 */
public final class PatternModels {
  private static final Logger LOG = LoggerFactory.getLogger(PatternModels.class);

  private PatternModels() {}

  /** Fits the usage patterns of the dataset's series and stores them under its fingerprint. */
  public static PatternModel fitAndStore(SparkSession spark, DatasetReader reader,
      PatternSettings settings, ModelRegistry registry) {
    PatternModel model = PatternClustering.fit(spark, List.of(reader), settings);
    String fingerprint = reader.manifest().fingerprint();
    boolean written = registry.publishPatterns(fingerprint, model.toJson());
    LOG.info("patterns of dataset {}: k = {}, series per pattern {}, jobs per pattern {}; {}",
        fingerprint, model.k(), model.patterns().stream().map(p -> p.members().size()).toList(),
        jobCounts(model), written ? "stored in the registry" : "already stored");
    return model;
  }

  /** Trains every pattern-pooled kind the settings ask for; failures become outcomes. */
  public static List<JobOutcome> train(SparkSession spark, DatasetReader reader,
      PatternModel model, JobSelection selection, TrainSettings settings, DataParallelRule rule,
      RunContext ctx, ModelRegistry registry) {
    String dataset = reader.manifest().source();
    Map<Integer, List<String>> members = members(model, dataset, selection);
    HashMap<Integer, Lineage.Pattern> lineage = new HashMap<>();
    members.forEach((p, jobs) -> lineage.put(p, lineage(model, p, jobs, ctx)));
    List<JobOutcome> out = new ArrayList<>();
    for (ModelKind kind : settings.kinds(Scope.PATTERN)) {
      if (kind.family() == ModelFamily.GBT) {
        members.forEach((p, jobs) -> out.addAll(trees(spark, reader, kind, p, jobs,
            lineage.get(p), ctx, registry)));
      }
    }
    List<NetworkArchitecture> pooled = settings.patternNetworks();
    if (!pooled.isEmpty()) {
      List<PooledNetworks.Pool> pools = new ArrayList<>();
      members.forEach((p, jobs) -> pools.add(new PooledNetworks.Pool("pattern-" + p, jobs,
          RegistryLayout.patternCheckpoints(p, jobs), Lineage.NONE.withPattern(lineage.get(p)))));
      out.addAll(PooledNetworks.train(spark, reader, pools, Scope.PATTERN, pooled, selection,
          rule, ctx, registry));
    }
    List<NetworkArchitecture> tuned = settings.kinds(Scope.TUNED).stream()
        .map(ModelKind::network).toList();
    if (!tuned.isEmpty()) {
      out.addAll(FineTuning.train(spark, reader, selection.largestFirst(), Scope.TUNED, tuned,
          out, settings.pooled(), ctx));
    }
    return out;
  }

  private static List<JobOutcome> trees(SparkSession spark, DatasetReader reader,
      ModelKind kind, int pattern, List<String> jobs, Lineage.Pattern lineage, RunContext ctx,
      ModelRegistry registry) {
    try {
      return PooledTrees.train(spark, reader, jobs, kind.id(),
          Lineage.NONE.withPattern(lineage), ctx, registry);
    } catch (RuntimeException e) {
      LOG.error("{} of pattern {} failed: {}", kind.id(), pattern, e.toString(), e);
      return jobs.stream().map(j -> JobOutcome.failed(j, kind.id(), ExecutionMode.POOLED, e))
          .toList();
    }
  }

  /**
   * Each pattern's member jobs among the run's jobs (a job is in its majority pattern), sorted;
   * patterns without such a job are left out, and so is a job that was not clustered (no train
   * point of the first target), with a warning.
   */
  static Map<Integer, List<String>> members(PatternModel model, String dataset,
      JobSelection selection) {
    Map<String, Integer> patternOf = new HashMap<>();
    model.jobs().stream().filter(j -> j.dataset().equals(dataset))
        .forEach(j -> patternOf.put(j.jobId(), j.pattern()));
    Map<Integer, List<String>> out = new TreeMap<>();
    for (String job : selection.jobs().stream().sorted().toList()) {
      Integer p = patternOf.get(job);
      if (p == null) {
        LOG.warn("{}: no usage pattern (no train point of the target); no pooled model", job);
      } else {
        out.computeIfAbsent(p, x -> new ArrayList<>()).add(job);
      }
    }
    return out;
  }

  /** What a pattern-pooled version records of its pattern (no NaN: an hour none has is null). */
  static Lineage.Pattern lineage(PatternModel model, int pattern, List<String> jobs,
      RunContext ctx) {
    PatternModel.Pattern p = model.patterns().get(pattern);
    return new Lineage.Pattern(pattern, model.k(), finite(p.centroid()), jobs,
        finite(p.dailyProfile()), ctx.datasetFingerprint());
  }

  private static List<Double> finite(List<Double> values) {
    List<Double> out = new ArrayList<>();
    values.forEach(v -> out.add(v == null || !Double.isFinite(v) ? null : v));
    return out;
  }

  private static List<Long> jobCounts(PatternModel model) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < model.k(); i++) {
      int p = i;
      out.add(model.jobs().stream().filter(j -> j.pattern() == p).count());
    }
    return out;
  }
}
