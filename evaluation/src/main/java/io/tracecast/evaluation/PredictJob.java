package io.tracecast.evaluation;

import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.tracecast.common.StagedCommit;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.scoring.ForecastTable;
import io.tracecast.evaluation.scoring.PatternServing;
import io.tracecast.evaluation.scoring.ServedForecasts;
import io.tracecast.evaluation.scoring.ServedIntervals;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Batch prediction, the second evaluation entry point: loads each job's model from the registry
 * (its champion by default) and on the executors forecasts, per series, the {@code horizon}
 * steps after its last observed point (origin = that point, from the window ending there,
 * {@code DatasetReader.latestWindows}; {@code actual} null), or scores windows whose targets are
 * in the data (each series' last complete window, or a whole split; {@link
 * PredictRequest.Windows}), and writes the forecasts, in original units and with the model
 * version used, as
 * Parquet: {@code job_id, series_id, origin_time, target_time, step, target, model, version,
 * model_job, forecast, quantile_levels, quantiles, actual}, then the served version's
 * conformal interval bounds that evaluate stored for the dataset, one column per bound
 * ({@code p10, p90, p5, p95} for levels 80 and 90 %: {@link ServedIntervals}). The output is
 * committed atomically.
 *
 * <p>A job with no version at all in the registry (new, or too short to train) is served the
 * pooled model of its usage pattern when the dataset is window-normalised
 * ({@link PatternServing}): {@code model} and {@code version} then name that pooled version
 * (e.g. {@code gbt_pattern}) and {@code model_job} the member job it is registered under, which
 * for every other row is the row's own job.
 */
public final class PredictJob {
  private PredictJob() {}

  /** What was written: rows, and the version used per job (jobs without a model are absent). */
  /**
   * @param borrowed the jobs served their pattern's pooled model (also in {@code versions})
   */
  public record Result(String output, long rows, Map<String, ModelVersion> versions,
      List<String> skippedJobs, Map<String, PatternServing.Borrowed> borrowed) {}

  public static Result run(SparkSession spark, PredictRequest req) {
    DatasetReader reader = DatasetReader.open(spark, req.dataset());
    Manifest m = reader.manifest();
    ModelRegistry registry = ModelRegistry.open(req.registry(),
        spark.sparkContext().hadoopConfiguration());
    List<String> jobs = req.jobs().isEmpty() ? m.jobs() : req.jobs();
    Map<String, ModelVersion> versions = new TreeMap<>();
    List<String> skipped = new ArrayList<>();
    List<String> unmodelled = new ArrayList<>();
    java.util.Set<String> modelled = new java.util.HashSet<>();
    registry.list().forEach(v -> modelled.add(v.job()));
    for (String job : jobs) {
      if (!m.jobs().contains(job)) {
        throw new IllegalArgumentException("job '" + job + "' is not in dataset "
            + req.dataset());
      }
      if (!modelled.contains(job)) {
        // only an alias (the champion) is borrowed from the job's pattern: a model the user
        // named explicitly is that job's own or nothing
        (req.model() == null ? unmodelled : skipped).add(job);
        continue;
      }
      ModelVersion v = req.model() != null
          ? registry.resolve(job, req.model(), VersionRef.parse(req.ref()))
          : registry.aliases(job).get(req.ref());
      if (v == null) {
        skipped.add(job);
        continue;
      }
      java.util.Optional<String> misfit = registry.metadata(v).misfit(m);
      if (misfit.isPresent()) {
        throw new IllegalArgumentException(job + ": " + v.model() + " v" + v.version()
            + " cannot score this dataset: " + misfit.get());
      }
      versions.put(job, v);
    }
    Map<String, PatternServing.Borrowed> borrowed = PatternServing.find(reader.series(spark), m,
        registry, unmodelled);
    for (String job : unmodelled) {
      if (borrowed.containsKey(job)) {
        versions.put(job, borrowed.get(job).version());
      } else {
        skipped.add(job);
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalStateException("no job of " + req.dataset() + " has "
          + (req.model() == null ? "alias '" + req.ref() + "'" : req.model() + " " + req.ref())
          + " in registry " + req.registry());
    }
    List<String> scored = new ArrayList<>(versions.keySet());
    Dataset<Row> beyond = req.windows() != PredictRequest.Windows.FUTURE ? null
        : seriesToForecast(spark, reader, req).where(col(JOB_ID).isin(scored.toArray()));
    Dataset<Row> windows = beyond != null ? reader.latestWindows(spark, beyond)
        : selectWindows(spark, reader, scored, req.windows());
    StagedCommit commit = StagedCommit.begin(req.output(), req.overwrite(),
        spark.sparkContext().hadoopConfiguration());
    try {
      Scored out = score(spark, reader, windows, registry, versions, req.batchSize(), beyond);
      try {
        out.forecasts().write().parquet(commit.staging());
      } finally {
        out.served().release();
      }
      commit.commit();
    } catch (RuntimeException e) {
      commit.abort();
      throw e;
    }
    long rows = spark.read().parquet(commit.target()).count();
    return new Result(commit.target(), rows, versions, skipped, borrowed);
  }

  /**
   * The series whose future is forecast: the dataset's, or the request's fresh files read and
   * cleaned as the dataset's inputs were (in the dataset's format, which {@code source} must
   * name if given).
   */
  private static Dataset<Row> seriesToForecast(SparkSession spark, DatasetReader reader,
      PredictRequest req) {
    if (req.inputs().isEmpty()) {
      return reader.series(spark);
    }
    String source = reader.manifest().source();
    if (req.source() != null && !req.source().equals(source)) {
      throw new IllegalArgumentException("--source " + req.source() + ": dataset "
          + req.dataset() + " was built from " + source + " traces; fresh inputs must be too");
    }
    return reader.freshSeries(spark, req.inputs());
  }

  /**
   * The forecasts {@link #run} writes, with their interval bounds; {@code served().release()}
   * once they are consumed.
   */
  public record Scored(Dataset<Row> forecasts, ServedForecasts.Served served) {}

  /**
   * Forecasts, in predict's columns, of each job's version in {@code versions} at every window
   * of {@code split} (the autoscaling environment's observations; {@link #run} writes the same
   * columns).
   */
  public static Scored score(SparkSession spark, DatasetReader reader, ModelRegistry registry,
      Map<String, ModelVersion> versions, Split split, int batchSize) {
    Dataset<Row> windows = ForecastTable.windows(spark, reader,
        new ArrayList<>(versions.keySet()), List.of(split));
    return score(spark, reader, windows, registry, versions, batchSize, null);
  }

  private static Scored score(SparkSession spark, DatasetReader reader, Dataset<Row> windows,
      ModelRegistry registry, Map<String, ModelVersion> versions, int batchSize,
      Dataset<Row> beyond) {
    Manifest m = reader.manifest();
    boolean future = beyond != null;
    ServedForecasts.Served served = ServedForecasts.of(spark, reader, windows, registry,
        versions, batchSize, beyond);
    Dataset<Row> forecasts = served.forecasts().toDF()
        .selectExpr("jobId as job_id", "seriesId as series_id",
            "targetTime - make_dt_interval(0, 0, 0, step * " + m.stepSeconds()
                + ") as origin_time", "targetTime as target_time", "step", "target", "model",
            "version", "point as forecast", "quantiles",
            // beyond the data there is nothing to compare with: null, not NaN
            future ? "cast(null as double) as actual" : "actual");
    forecasts = withLevels(forecasts, served.levels());
    forecasts = withModelJob(forecasts, versions);
    forecasts = ServedIntervals.of(registry, m, versions).addTo(spark, forecasts);
    return new Scored(forecasts, served);
  }

  private static Dataset<Row> selectWindows(SparkSession spark, DatasetReader reader,
      List<String> jobs, PredictRequest.Windows which) {
    if (which.split().isPresent()) {
      return ForecastTable.windows(spark, reader, jobs, List.of(which.split().get()));
    }
    Dataset<Row> all = ForecastTable.windows(spark, reader, jobs,
        List.of(Split.TRAIN, Split.VALIDATION, Split.TEST));
    return all.withColumn("rn", row_number().over(Window.partitionBy(JOB_ID, SERIES_ID)
            .orderBy(col(END_TIME).desc())))
        .where(col("rn").equalTo(1)).drop("rn");
  }

  /** Adds {@code model_job}: the registry job of the version that served each row. */
  private static Dataset<Row> withModelJob(Dataset<Row> forecasts,
      Map<String, ModelVersion> versions) {
    StringBuilder expr = new StringBuilder("case");
    versions.forEach((job, v) -> expr.append(" when job_id = ").append(literal(job))
        .append(" then ").append(literal(v.job())));
    expr.append(" end");
    return forecasts.selectExpr("job_id", "series_id", "origin_time", "target_time", "step",
        "target", "model", "version", expr + " as model_job", "forecast", "quantile_levels",
        "quantiles", "actual");
  }

  private static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Adds each row's model's quantile levels (empty for point forecasters). */
  private static Dataset<Row> withLevels(Dataset<Row> forecasts,
      Map<String, List<Double>> levels) {
    StringBuilder expr = new StringBuilder("case");
    levels.forEach((job, qs) -> expr.append(" when job_id = ").append(literal(job))
        .append(" then array(").append(String.join(", ", qs.stream().map(q -> "cast(" + q
            + " as double)").toList())).append(")"));
    expr.append(" end");
    return forecasts.selectExpr("job_id", "series_id", "origin_time", "target_time", "step",
        "target", "model", "version", "forecast",
        "coalesce(" + expr + ", cast(array() as array<double>)) as quantile_levels",
        "quantiles", "actual");
  }
}
