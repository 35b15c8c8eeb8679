package io.tracecast.evaluation.scoring;

import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.TS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Normalisation;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.pattern.PatternSignature;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a job the registry has no model of (a new job, or one too short to train) with the
 * pooled model of its usage pattern. The job's series are signed on the history the dataset
 * has of them (its first hours), assigned a pattern by the stored pattern model of any dataset
 * (the first, by fingerprint, that leads to a usable model), and the job gets that pattern's
 * {@code gbt_pattern} (else a {@code <kind>_pattern} network) of one of the pattern's member
 * jobs.
 *
 * <p>Borrowing across datasets is sound only for window-normalised datasets: their inputs and
 * targets are per-series scaled deltas to the last value, so a model's inputs do not depend on
 * the dataset's scalers; what must match is the features, targets and window shape
 * ({@link ModelMetadata#shapeMisfit}). This is the one place where a model of another
 * dataset fingerprint is served.
 */
public final class PatternServing {
  private static final Logger LOG = LoggerFactory.getLogger(PatternServing.class);

  private PatternServing() {}

  /**
   * A borrowed model: the registry version (of a member job of the pattern) and where the
   * assignment came from.
   *
   * @param patternsOf fingerprint of the dataset whose stored patterns assigned the job
   */
  public record Borrowed(ModelVersion version, String patternsOf, int pattern) {}

  /**
   * The pooled model for each of {@code jobs} that can be served one; jobs without a usable
   * stored pattern model or pooled version are absent. Empty unless the dataset is
   * window-normalised.
   *
   * @param series the dataset's series table (original units)
   */
  public static Map<String, Borrowed> find(Dataset<Row> series, Manifest manifest,
      ModelRegistry registry, List<String> jobs) {
    Map<String, Borrowed> out = new TreeMap<>();
    if (jobs.isEmpty()) {
      return out;
    }
    if (!Normalisation.WINDOW.label().equals(manifest.normalisation())) {
      LOG.info("jobs {} have no model; the dataset is {}-normalised, so models of other jobs' "
          + "patterns cannot serve them", jobs, manifest.normalisation());
      return out;
    }
    Map<String, List<PatternSignature>> signatures = signatures(series, manifest, jobs);
    for (String fingerprint : registry.patternFingerprints()) {
      PatternModel patterns = PatternModel.fromJson(registry.patterns(fingerprint).orElseThrow());
      for (String job : jobs) {
        if (out.containsKey(job) || !signatures.containsKey(job)) {
          continue;
        }
        int pattern = assign(patterns, signatures.get(job));
        pooledVersion(registry, manifest, patterns, fingerprint, pattern).ifPresent(v -> {
          out.put(job, new Borrowed(v, fingerprint, pattern));
          LOG.info("{}: no model of its own; pattern {} of dataset {}'s patterns, served by "
                  + "{}/{} v{} (dataset fingerprint check relaxed: window-normalised inputs "
                  + "with the same features and window shape)", job, pattern, fingerprint,
              v.job(), v.model(), v.version());
        });
      }
    }
    return out;
  }

  /** The pattern holding most of the job's points (ties to the lower index). */
  static int assign(PatternModel patterns, List<PatternSignature> series) {
    long[] points = new long[patterns.k()];
    for (PatternSignature s : series) {
      points[patterns.assign(s)] += s.points();
    }
    int best = 0;
    for (int p = 1; p < points.length; p++) {
      if (points[p] > points[best]) {
        best = p;
      }
    }
    return best;
  }

  /**
   * The latest pooled version of the pattern, under the first member job that has one
   * trained with these patterns and fitting the dataset: {@code gbt_pattern} first, then
   * pattern networks by name.
   */
  private static Optional<ModelVersion> pooledVersion(ModelRegistry registry, Manifest manifest,
      PatternModel patterns, String fingerprint, int pattern) {
    List<String> members = patterns.jobs().stream().filter(j -> j.pattern() == pattern)
        .map(PatternModel.JobPattern::jobId).distinct().sorted().toList();
    Map<String, List<String>> modelsByJob = new TreeMap<>();
    for (ModelVersion v : registry.list()) {
      if (members.contains(v.job())) {
        List<String> ms = modelsByJob.computeIfAbsent(v.job(), j -> new ArrayList<>());
        if (!ms.contains(v.model())) {
          ms.add(v.model());
        }
      }
    }
    List<String> preferred = new ArrayList<>(List.of(
        new ModelKind(ModelKinds.GBT, Scope.PATTERN).id()));
    modelsByJob.values().stream().flatMap(List::stream)
        .filter(m -> !preferred.contains(m) && isPatternNetwork(m)).sorted()
        .forEach(preferred::add);
    for (String model : preferred) {
      for (String job : members) {
        if (!modelsByJob.getOrDefault(job, List.of()).contains(model)) {
          continue;
        }
        ModelVersion v = registry.resolve(job, model, VersionRef.LATEST);
        ModelMetadata m = registry.metadata(v);
        Lineage.Pattern p = m.lineage().pattern();
        if (p != null && fingerprint.equals(p.patternsOf()) && p.pattern() == pattern
            && m.shapeMisfit(manifest).isEmpty()) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a registry model name is a network pooled per usage pattern. */
  private static boolean isPatternNetwork(String model) {
    try {
      ModelKind k = ModelKinds.parse(model);
      return k.scope() == Scope.PATTERN && k.family() == ModelFamily.NETWORK;
    } catch (IllegalArgumentException e) {
      return false; // not a kind's name (a baseline, an ensemble)
    }
  }

  /**
   * Each job's series signed on all the points of the first target the dataset has of them,
   * whatever the split: a new job's history is short, and none of it trains anything here.
   * Collected to the driver (these are the jobs without a model, a few series).
   */
  private static Map<String, List<PatternSignature>> signatures(Dataset<Row> series,
      Manifest manifest, List<String> jobs) {
    String target = manifest.targets().get(0);
    List<Row> rows = series.where(col(JOB_ID).isin(jobs.toArray())
            .and(col(target).isNotNull()).and(not(isnan(col(target)))))
        .select(col(JOB_ID), col(SERIES_ID), col(TS), col(target).cast("double"))
        .orderBy(JOB_ID, SERIES_ID, TS).collectAsList();
    Map<String, List<PatternSignature>> out = new TreeMap<>();
    int from = 0;
    for (int i = 1; i <= rows.size(); i++) {
      if (i == rows.size() || !rows.get(i).getString(0).equals(rows.get(from).getString(0))
          || !rows.get(i).getString(1).equals(rows.get(from).getString(1))) {
        double[] values = new double[i - from];
        long[] times = new long[i - from];
        for (int k = from; k < i; k++) {
          values[k - from] = rows.get(k).getDouble(3);
          times[k - from] = rows.get(k).getTimestamp(2).getTime();
        }
        out.computeIfAbsent(rows.get(from).getString(0), j -> new ArrayList<>())
            .add(PatternSignature.ofValues(values, times, manifest.stepSeconds()));
        from = i;
      }
    }
    return out;
  }
}
