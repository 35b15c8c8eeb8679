package io.tracecast.evaluation.scoring;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.when;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.evaluation.interval.QuantileNames;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The interval bounds {@code predict} serves: each served version's conformal offsets per
 * horizon step and target, as evaluate stored them in the registry ({@link
 * ModelRegistry#intervals}; {@link CalibratedForecasts#served}: the validation residuals' band
 * under split calibration, the last {@code window} residuals' at the end of the data under
 * rolling, the state an online forecaster serves the future from), added to its point forecast.
 * The columns are named as quantiles, {@code p10} and {@code p90} for the 80 % interval: a
 * conformal band is an estimate of those quantiles around a point forecast, which is how a
 * planner reads it. A baseline or ensemble champion was calibrated before it was published
 * (version 0 in evaluation's tables); a pattern's pooled model under the member job it was
 * published for. A row without a band (no calibration stored for this dataset, or too few
 * validation points) gets null bounds.
 */
public final class ServedIntervals {
  private final ConformalBands bands;
  /** Per served job: the (job, model, version) its band is stored under. */
  private final Map<String, CalibratedAs> calibratedAs;

  private record CalibratedAs(String job, String model, int version) {}
  private final int horizon;
  private final List<String> targets;

  private ServedIntervals(ConformalBands bands, Map<String, CalibratedAs> calibratedAs,
      int horizon,
      List<String> targets) {
    this.bands = bands;
    this.calibratedAs = calibratedAs;
    this.horizon = horizon;
    this.targets = List.copyOf(targets);
  }

  public static ServedIntervals of(ModelRegistry registry, Manifest m,
      Map<String, ModelVersion> versions) {
    ConformalBands bands = stored(registry, m.fingerprint()).orElse(ConformalBands.none())
        .clippedTo(m.targetBounds());
    Map<String, CalibratedAs> as = new java.util.TreeMap<>();
    versions.forEach((job, v) -> as.put(job, calibratedAs(v, registry.metadata(v))));
    return new ServedIntervals(bands, as, m.horizon(), m.targets());
  }

  /**
   * The calibration that applies to one registry version: its rows of the offsets evaluate
   * stored for the dataset it was trained (or, for a baseline or ensemble, published) on, under
   * the (job, model, version) it was scored as; empty when evaluate stored none for it. The one
   * reader of a version's intervals outside predict (the MLflow export attaches them).
   */
  public static java.util.Optional<ConformalBands> of(ModelRegistry registry, ModelVersion v,
      ModelMetadata meta) {
    return stored(registry, meta.datasetFingerprint()).flatMap(b -> of(b, v, meta));
  }

  /** Every version's bands evaluate stored for a dataset; empty when it stored none. */
  public static java.util.Optional<ConformalBands> stored(ModelRegistry registry,
      String datasetFingerprint) {
    return registry.intervals(datasetFingerprint).map(ConformalBands::fromJson);
  }

  /**
   * {@code v}'s rows of {@code stored} (its dataset's, {@link #stored}), for a caller that reads
   * the file once for many versions; empty when it has none.
   */
  public static java.util.Optional<ConformalBands> of(ConformalBands stored, ModelVersion v,
      ModelMetadata meta) {
    CalibratedAs as = calibratedAs(v, meta);
    ConformalBands own = stored.only(as.job(), as.model(), as.version());
    return own.size() > 0 ? java.util.Optional.of(own) : java.util.Optional.empty();
  }

  private static CalibratedAs calibratedAs(ModelVersion v, ModelMetadata meta) {
    return new CalibratedAs(v.job(), v.model(),
        ConformalBands.calibratedVersion(meta.family(), v.version()));
  }

  /** Column names of the bounds, in the bands' level order: lower then upper per level. */
  public List<String> columns() {
    List<String> out = new ArrayList<>();
    for (double level : bands.levels()) {
      out.add(QuantileNames.lower(level));
      out.add(QuantileNames.upper(level));
    }
    return out;
  }

  /**
   * {@code forecasts} (columns {@code job_id, step, target, forecast} among others) with one
   * bound column per {@link #columns}: forecast + offset, null where the row has no band.
   */
  public Dataset<Row> addTo(SparkSession spark, Dataset<Row> forecasts) {
    List<String> names = columns();
    if (names.isEmpty()) {
      return forecasts;
    }
    List<Row> rows = new ArrayList<>();
    calibratedAs.forEach((job, as) -> {
      for (int step = 1; step <= horizon; step++) {
        for (String target : targets) {
          double[] o = bands.offsets(as.job(), as.model(), as.version(), step, target);
          if (o != null) {
            List<Double> offsets = new ArrayList<>();
            for (double x : o) {
              offsets.add(x);
            }
            Manifest.Bounds range = bands.support(target);
            rows.add(RowFactory.create(job, step, target, offsets,
                range == null ? null : range.min(), range == null ? null : range.max()));
          }
        }
      }
    });
    StructType schema = new StructType().add("job_id", DataTypes.StringType)
        .add("step", DataTypes.IntegerType).add("target", DataTypes.StringType)
        .add("interval_offsets", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("interval_min", DataTypes.DoubleType).add("interval_max", DataTypes.DoubleType);
    Dataset<Row> offsets = spark.createDataFrame(rows, schema);
    Dataset<Row> joined = forecasts.join(broadcast(offsets),
        scala.collection.JavaConverters.asScalaBuffer(List.of("job_id", "step", "target"))
            .toSeq(), "left");
    List<Column> select = new ArrayList<>();
    for (String c : forecasts.columns()) {
      select.add(col(c));
    }
    for (int i = 0; i < names.size(); i++) {
      // clipped to the target's physical range as evaluate scored it (ConformalBands.bounds);
      // greatest and least pass over a null (unbounded) side, and keep a null bound null
      Column bound = col("forecast").plus(element_at(col("interval_offsets"), i + 1));
      select.add(when(bound.isNull(), bound)
          .otherwise(least(greatest(bound, col("interval_min")), col("interval_max")))
          .as(names.get(i)));
    }
    return joined.select(select.toArray(new Column[0]));
  }
}
