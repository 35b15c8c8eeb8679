package io.tracecast.etl.dataset;

import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.INPUTS;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SEGMENT;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.SPLIT;
import static io.tracecast.etl.dataset.WindowSchema.TARGETS;
import static io.tracecast.etl.dataset.WindowSchema.TS;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.source.Metric;
import io.tracecast.etl.window.SlidingWindows;
import io.tracecast.etl.window.WindowSpec;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The input windows that end at each series' last observed point: where a forecast of the steps
 * after the data starts. Rows of the series table (original units) are put back into the
 * {@link CleanedSeries} they were written from and cut by the ETL's own {@link SlidingWindows}
 * ({@link SlidingWindows#latest}), with the manifest's window shape and job scalers: a window
 * here is bit for bit the window the ETL writes at that end when the data continues.
 *
 * <p>Rows: {@link WindowSchema#JOB_ID}, {@code SERIES_ID}, {@code SEGMENT}, {@code END_TIME},
 * {@code INPUTS} (job-scaled, as stored), {@code TARGETS} (NaN: they lie beyond the data) and
 * {@code SPLIT}, {@link Split#BEYOND_THE_DATA}. A series whose last segment is shorter than the
 * lookback has no row.
 */
final class LatestWindows implements FlatMapGroupsFunction<String, Row, Row>, Serializable {
  static final StructType SCHEMA = new StructType()
      .add(JOB_ID, DataTypes.StringType, false)
      .add(SERIES_ID, DataTypes.StringType, false)
      .add(SEGMENT, DataTypes.IntegerType, false)
      .add(END_TIME, DataTypes.TimestampType, false)
      .add(INPUTS, DataTypes.BinaryType, false)
      .add(TARGETS, DataTypes.BinaryType, false)
      .add(SPLIT, DataTypes.StringType, false);

  private final SlidingWindows windows;
  private final List<String> metrics;
  private final long stepMicros;
  private final Map<String, Map<String, Scaler>> scalers;
  /**
   * Targets beyond the data: NaN, in the windows' shape (horizon x targets), so that panels and
   * forecasters built for stored windows take these unchanged and report no actual.
   */
  private final byte[] unknownTargets;

  private LatestWindows(Manifest m) {
    int configured = m.features().size() - m.lags().size() * m.targets().size();
    WindowSpec spec = new WindowSpec(m.lookback(), m.horizon(), m.stride(),
        m.features().subList(0, configured), m.targets(), m.lags());
    if (!spec.inputFeatures().equals(m.features())) {
      throw new IllegalStateException("manifest features " + m.features() + " are not the "
          + "configured features followed by the seasonal lag channels " + spec.lagChannels());
    }
    metrics = spec.scaledColumns();
    // values[m] of the rebuilt series follow this order: the only metrics the windows read
    windows = new SlidingWindows(spec, metrics.stream().map(Metric::fromColumn).toList(),
        m.trainFraction(), m.validationFraction());
    stepMicros = m.stepSeconds() * 1_000_000L;
    scalers = m.scalers();
    float[] nan = new float[spec.targetLength()];
    java.util.Arrays.fill(nan, Float.NaN);
    unknownTargets = Float32Codec.encode(nan);
  }

  /** The latest window of every series among {@code seriesRows} (series table columns). */
  static Dataset<Row> of(Manifest m, Dataset<Row> seriesRows) {
    LatestWindows f = new LatestWindows(m);
    return seriesRows
        .groupByKey((MapFunction<Row, String>) r -> WindowSchema.jobId(r) + '\u0000'
            + WindowSchema.seriesId(r), Encoders.STRING())
        .flatMapGroups(f, Encoders.row(SCHEMA));
  }

  @Override
  public Iterator<Row> call(String key, Iterator<Row> rows) {
    List<Row> points = new ArrayList<>();
    rows.forEachRemaining(points::add);
    points.sort(Comparator.comparing(r -> r.getTimestamp(r.fieldIndex(TS))));
    Row last = points.get(points.size() - 1);
    String job = WindowSchema.jobId(last);
    Map<String, Scaler> jobScalers = scalers.get(job);
    if (jobScalers == null) {
      throw new IllegalArgumentException("job '" + job + "' has no scalers in the manifest");
    }
    return windows.latest(series(points), jobScalers)
        .map(w -> List.of(RowFactory.create(job, WindowSchema.seriesId(last), w.segment(),
            new Timestamp(Math.floorDiv(w.endMicros(), 1000)), Float32Codec.encode(w.inputs()),
            unknownTargets, Split.BEYOND_THE_DATA.label())).iterator())
        .orElse(java.util.Collections.emptyIterator());
  }

  /** The cleaned series the rows were written from ({@link SeriesTable#points}, inverted). */
  private CleanedSeries series(List<Row> points) {
    int n = points.size();
    long[] ts = new long[n];
    double[][] values = new double[metrics.size()][n];
    int[] segment = new int[n];
    boolean[] interpolated = new boolean[n];
    for (int i = 0; i < n; i++) {
      Row r = points.get(i);
      ts[i] = r.getTimestamp(r.fieldIndex(TS)).getTime() * 1000;
      segment[i] = WindowSchema.segment(r);
      interpolated[i] = r.getBoolean(r.fieldIndex("interpolated"));
      for (int m = 0; m < metrics.size(); m++) {
        Object v = r.get(r.fieldIndex(metrics.get(m)));
        values[m][i] = v == null ? Double.NaN : ((Number) v).doubleValue();
      }
    }
    Row first = points.get(0);
    return new CleanedSeries(WindowSchema.jobId(first), WindowSchema.seriesId(first), stepMicros,
        ts, values, segment, interpolated, CleaningStats.ZERO);
  }
}
