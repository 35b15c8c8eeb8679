package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.scoring.BaselineForecaster.BaselineFactory;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Forecasts of one registry version per job, whatever its family: what {@code predict} serves.
 * Networks and gradient-boosted models score the windows; a baseline version runs its baseline
 * over the series table at exactly the windows' points (baselines forecast validation and test
 * points, so a train-split prediction gets no rows from them); an ensemble version computes its
 * members' forecasts and takes their median. Every row is labelled with the served version.
 * A trained version may be another job's (a pattern's pooled model, {@link PatternServing}):
 * its rows carry the served job's id.
 */
public final class ServedForecasts {
  private ServedForecasts() {}

  /**
   * The forecasts, and each job's quantile levels (empty for point forecasters).
   *
   * @param cached the member forecasts kept for an ensemble's two uses, or null; {@link
   *     #release} once the forecasts are written
   */
  public record Served(Dataset<ForecastRow> forecasts, Map<String, List<Double>> levels,
      Dataset<ForecastRow> cached) {

    /** Drops the cached member forecasts, if any. */
    public void release() {
      if (cached != null) {
        cached.unpersist();
      }
    }
  }

  /**
   * @param windows encoded windows with a split column: stored ones, or the latest of each
   *     series of {@code beyond} ({@code DatasetReader.latestWindows})
   * @param beyond null to score the windows' own points; else the series rows (the dataset's or
   *     fresh ones) after whose last point the forecasts are: baselines run over these
   */
  public static Served of(SparkSession spark, DatasetReader reader, Dataset<Row> windows,
      ModelRegistry registry, Map<String, ModelVersion> versions, int batchSize,
      Dataset<Row> beyond) {
    ProvisioningSettings provisioning = ProvisioningSettings.defaults();
    Map<String, List<Candidate>> trained = new TreeMap<>();
    Map<String, List<Map<String, Object>>> baselines = new TreeMap<>();
    Map<String, List<EnsembleSpec.Member>> ensembles = new TreeMap<>();
    Map<String, List<Double>> levels = new TreeMap<>();
    for (Map.Entry<String, ModelVersion> e : versions.entrySet()) {
      String job = e.getKey();
      ModelVersion v = e.getValue();
      // v.job() is the job itself, or for a job served its pattern's pooled model
      // (PatternServing) a member job of that pattern
      ModelMetadata meta = registry.metadata(v);
      switch (meta.family()) {
        case NETWORK, GBT -> {
          Candidate c = Candidate.of(v, meta);
          trained.computeIfAbsent(job, j -> new ArrayList<>()).add(c);
          levels.put(job, c.quantiles());
        }
        case BASELINE -> {
          baselines.computeIfAbsent(job, j -> new ArrayList<>()).add(meta.params());
          levels.put(job, List.of());
        }
        case ENSEMBLE -> {
          List<EnsembleSpec.Member> members = EnsembleSpec.members(meta.params());
          ensembles.put(job, members);
          for (EnsembleSpec.Member member : members) {
            if (member.family().trained()) {
              ModelVersion mv = registry.resolve(job, member.model(),
                  VersionRef.version(member.version()));
              trained.computeIfAbsent(job, j -> new ArrayList<>()).add(Candidate.of(mv,
                  registry.metadata(mv)));
            } else {
              baselines.computeIfAbsent(job, j -> new ArrayList<>()).add(
                  EnsembleSpec.baselineParams(meta.params(), member.model()));
            }
          }
          levels.put(job, List.of());
        }
        case POLICY -> throw new IllegalArgumentException(job + ": " + v.model() + " v"
            + v.version() + " is an autoscaling policy, not a forecaster");
      }
    }
    Dataset<ForecastRow> rows = null;
    if (!trained.isEmpty()) {
      rows = ForecastTable.trained(spark, reader, windows, registry.root(), trained, batchSize,
          1, provisioning);
    }
    // baselines: one pass per distinct baseline, over the jobs that use it
    Map<String, List<String>> jobsByBaseline = new LinkedHashMap<>();
    Map<String, BaselineFactory> factories = new LinkedHashMap<>();
    baselines.forEach((job, ps) -> ps.forEach(p -> {
      String key = new TreeMap<>(p).toString();
      factories.computeIfAbsent(key, k -> BaselineSet.fromParams(p));
      jobsByBaseline.computeIfAbsent(key, k -> new ArrayList<>()).add(job);
    }));
    LongAccumulator unused = spark.sparkContext().longAccumulator();
    for (Map.Entry<String, List<String>> e : jobsByBaseline.entrySet()) {
      // the baselines' pass also runs the reactive autoscaler policy: its rows forecast nothing
      Dataset<ForecastRow> b = ForecastTable.baselines(spark, reader, windows, e.getValue(),
              List.of(factories.get(e.getKey())), provisioning, unused, unused, beyond)
          .filter((FilterFunction<ForecastRow>) r -> !ScoreBook.POLICY.equals(r.getFamily()));
      rows = rows == null ? b : rows.unionByName(b);
    }
    if (rows == null) {
      throw new IllegalStateException("nothing to serve");
    }
    Dataset<ForecastRow> cached = null;
    if (!ensembles.isEmpty()) {
      // the ensemble's median and the other jobs' rows both read these: score them once
      rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
      cached = rows;
      Dataset<ForecastRow> ens = EnsembleForecasts.forecasts(rows, ensembles, provisioning);
      Dataset<ForecastRow> others = rows.filter(
          (FilterFunction<ForecastRow>) r -> !ensembles.containsKey(r.getJobId()));
      rows = others.unionByName(ens);
    }
    Map<String, String> label = new TreeMap<>();
    versions.forEach((job, v) -> label.put(job, v.model() + "\u0000" + v.version()));
    Dataset<ForecastRow> labelled = rows.map((MapFunction<ForecastRow, ForecastRow>) r -> {
      String[] mv = label.get(r.getJobId()).split("\u0000");
      r.setModel(mv[0]);
      r.setVersion(Integer.parseInt(mv[1]));
      return r;
    }, ForecastTable.ENCODER);
    return new Served(labelled, levels, cached);
  }
}
