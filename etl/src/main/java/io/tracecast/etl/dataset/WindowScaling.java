package io.tracecast.etl.dataset;

import static org.apache.spark.sql.functions.col;

import io.tracecast.etl.feature.CalendarFeature;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one place that turns stored (job-scaled) windows into the model-space tensors of the
 * manifest's {@link Normalisation}, and model outputs back into original units. Training,
 * evaluation and prediction get model space from {@link DatasetReader#encodedWindows} without
 * knowing the mode, plus per target an {@code anchor} and a {@code scale} such that in every
 * mode the original value of model output column k (horizon x targets, step-major; target
 * {@code j = k % targets}) is {@link #toOriginal}: {@code anchor[j] + scale[j] * output},
 * clipped to the target's physical range.
 *
 * <p>{@code job}: inputs and targets as stored; anchor = the job scaler's offset, scale = its
 * scale (so the rule is the scaler's inverse). {@code window}: for a metric channel c with base
 * metric m (a lag channel's base is its target), {@code (x_orig - last_orig(m)) / scale(series,
 * m)}, where {@code x_orig} is the stored value through the job scaler's inverse and
 * {@code last_orig(m)} is m at the window's last input step; targets likewise relative to their
 * last value (the model learns the delta); calendar channels pass through; anchor = the target's
 * last value, scale = the series' scale of the target.
 */
public final class WindowScaling implements Serializable {
  private final Normalisation mode;
  private final int lookback;
  private final int channels;
  private final int targets;
  /** Per input channel: the channel holding its base metric, -1 for calendar channels. */
  private final int[] baseChannel;
  /** Per target: the input channel holding it (window mode), -1 where absent. */
  private final int[] targetChannel;
  private final Manifest.Bounds[] bounds;
  /** job -> per input channel, then per target: the job scalers. */
  private final Map<String, Scaler[]> channelScalers = new HashMap<>();
  private final Map<String, Scaler[]> targetScalers = new HashMap<>();
  /** job -> series -> per input channel, then per target: the series scales (window mode). */
  private final Map<String, Map<String, double[]>> channelScales = new HashMap<>();
  private final Map<String, Map<String, double[]>> targetScales = new HashMap<>();
  private transient Broadcast<WindowScaling> broadcast;
  private transient org.apache.spark.SparkContext broadcastContext;

  private WindowScaling(Manifest m) {
    mode = m.normalisationMode();
    lookback = m.lookback();
    channels = m.features().size();
    targets = m.targets().size();
    Map<String, String> baseMetric = baseMetrics(m);
    baseChannel = new int[channels];
    for (int c = 0; c < channels; c++) {
      String base = baseMetric.get(m.features().get(c));
      baseChannel[c] = base == null ? -1 : m.features().indexOf(base);
    }
    targetChannel = m.targets().stream().mapToInt(t -> m.features().indexOf(t)).toArray();
    bounds = m.targets().stream().map(t -> m.targetBounds().get(t))
        .toArray(Manifest.Bounds[]::new);
    m.scalers().forEach((job, s) -> {
      channelScalers.put(job, m.features().stream().map(s::get).toArray(Scaler[]::new));
      targetScalers.put(job, m.targets().stream().map(s::get).toArray(Scaler[]::new));
    });
    if (mode == Normalisation.WINDOW) {
      for (int j = 0; j < targets; j++) {
        if (targetChannel[j] < 0) {
          throw new IllegalArgumentException("window normalisation needs target '"
              + m.targets().get(j) + "' among the features " + m.features());
        }
      }
      for (Manifest.SeriesEntry e : m.series()) {
        double[] perChannel = m.features().stream()
            .mapToDouble(f -> baseMetric.get(f) == null ? 1 : scaleOf(e, baseMetric.get(f)))
            .toArray();
        double[] perTarget = m.targets().stream().mapToDouble(t -> scaleOf(e, t)).toArray();
        channelScales.computeIfAbsent(e.jobId(), j -> new HashMap<>()).put(e.seriesId(), perChannel);
        targetScales.computeIfAbsent(e.jobId(), j -> new HashMap<>()).put(e.seriesId(), perTarget);
      }
    }
  }

  /** The scaling of a dataset, from its manifest alone. */
  public static WindowScaling of(Manifest manifest) {
    return new WindowScaling(manifest);
  }

  public Normalisation mode() {
    return mode;
  }

  /** Physical ranges of the targets in manifest order, for {@link #toOriginal}. */
  public Manifest.Bounds[] targetBounds() {
    return bounds.clone();
  }

  /**
   * Input channel -> its base metric: metric features are their own, a seasonal lag channel's
   * is its target ({@link SeasonalLag#channel}); calendar channels have none.
   */
  static Map<String, String> baseMetrics(Manifest m) {
    Map<String, String> base = new HashMap<>();
    for (String f : m.features()) {
      if (!CalendarFeature.isCalendar(f)) {
        base.put(f, f);
      }
    }
    for (SeasonalLag lag : m.lags()) {
      for (String t : m.targets()) {
        base.put(lag.channel(t), t);
      }
    }
    return base;
  }

  private static double scaleOf(Manifest.SeriesEntry e, String column) {
    Double s = e.scales().get(column);
    if (s == null || !(s > 0)) {
      throw new IllegalArgumentException("series " + e.jobId() + "/" + e.seriesId()
          + " has no scale for '" + column + "' in the manifest; window normalisation needs one");
    }
    return s;
  }

  /**
   * Original units of model output {@code value} for target {@code j}: {@code anchor[j] +
   * scale[j] * value}, clipped to {@code bounds[j]} (usage is never negative).
   */
  public static double toOriginal(float[] anchor, float[] scale, Manifest.Bounds[] bounds, int j,
      double value) {
    return bounds[j].clip(anchor[j] + (double) scale[j] * value);
  }

  /** A window in model space, with what {@link #toOriginal} needs per target. */
  public record Scaled(float[] inputs, float[] targets, float[] anchor, float[] scale) {}

  /** Model space of one stored window of series (job, series). */
  public Scaled apply(String job, String series, float[] inputs, float[] stored) {
    Scaler[] ts = require(targetScalers, job);
    float[] anchor = new float[targets];
    float[] scale = new float[targets];
    if (mode == Normalisation.JOB) {
      for (int j = 0; j < targets; j++) {
        anchor[j] = (float) ts[j].offset();
        scale[j] = (float) ts[j].scale();
      }
      return new Scaled(inputs, stored, anchor, scale);
    }
    Scaler[] cs = require(channelScalers, job);
    double[] cScale = require(require(channelScales, job), series);
    double[] tScale = require(require(targetScales, job), series);
    int last = (lookback - 1) * channels;
    double[] lastOrig = new double[channels];
    for (int c = 0; c < channels; c++) {
      lastOrig[c] = cs[c].inverse(inputs[last + c]);
    }
    float[] in = new float[inputs.length];
    for (int k = 0; k < inputs.length; k++) {
      int c = k % channels;
      int b = baseChannel[c];
      in[k] = b < 0 ? inputs[k]
          : (float) ((cs[c].inverse(inputs[k]) - lastOrig[b]) / cScale[c]);
    }
    float[] out = new float[stored.length];
    for (int k = 0; k < stored.length; k++) {
      int j = k % targets;
      out[k] = (float) ((ts[j].inverse(stored[k]) - lastOrig[targetChannel[j]]) / tScale[j]);
    }
    for (int j = 0; j < targets; j++) {
      anchor[j] = (float) lastOrig[targetChannel[j]];
      scale[j] = (float) tScale[j];
    }
    return new Scaled(in, out, anchor, scale);
  }

  private static <V> V require(Map<String, V> map, String key) {
    V v = map.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no scaling for '" + key + "' in the manifest");
    }
    return v;
  }

  /**
   * Adds {@link WindowSchema#ANCHOR} and {@link WindowSchema#SCALE} to encoded window rows
   * ({@link WindowSchema} columns) and, in window mode, puts inputs and targets into model space. Job mode
   * leaves the tensors untouched: anchor and scale are per-job constants, one lookup per row.
   */
  Dataset<Row> transform(SparkSession spark, Dataset<Row> encoded) {
    if (mode == Normalisation.JOB) {
      Map<String, byte[]> anchors = new HashMap<>();
      Map<String, byte[]> scales = new HashMap<>();
      targetScalers.keySet().forEach(job -> {
        Scaled s = apply(job, null, new float[0], new float[0]);
        anchors.put(job, Float32Codec.encode(s.anchor()));
        scales.put(job, Float32Codec.encode(s.scale()));
      });
      return encoded
          .withColumn(WindowSchema.ANCHOR, functions.udf((UDF1<String, byte[]>) anchors::get,
              DataTypes.BinaryType).apply(col(WindowSchema.JOB_ID)))
          .withColumn(WindowSchema.SCALE, functions.udf((UDF1<String, byte[]>) scales::get,
              DataTypes.BinaryType).apply(col(WindowSchema.JOB_ID)));
    }
    StructType in = encoded.schema();
    StructType out = in.add(WindowSchema.ANCHOR, DataTypes.BinaryType, false)
        .add(WindowSchema.SCALE, DataTypes.BinaryType, false);
    int job = in.fieldIndex(WindowSchema.JOB_ID);
    int series = in.fieldIndex(WindowSchema.SERIES_ID);
    int inputs = in.fieldIndex(WindowSchema.INPUTS);
    int targetsAt = in.fieldIndex(WindowSchema.TARGETS);
    Broadcast<WindowScaling> bc = broadcast(spark);
    return encoded.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
      WindowScaling scaling = bc.value();
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          return scaling.row(rows.next(), out, job, series, inputs, targetsAt);
        }
      };
    }, Encoders.row(out));
  }

  /** One broadcast per dataset and Spark context, however often the reader is asked. */
  private synchronized Broadcast<WindowScaling> broadcast(SparkSession spark) {
    if (broadcast == null || broadcastContext != spark.sparkContext()) {
      broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(this);
      broadcastContext = spark.sparkContext();
    }
    return broadcast;
  }

  /**
   * One encoded row with model-space tensors and its anchor and scale appended. It carries its
   * schema: {@code Dataset.javaRDD()} hands these very objects to code that reads fields by
   * name (Spark elides the serialise/deserialise pair of a typed map).
   */
  private Row row(Row r, StructType schema, int job, int series, int inputs, int targetsAt) {
    Scaled s = apply(r.getString(job), r.getString(series),
        Float32Codec.decode((byte[]) r.get(inputs)),
        Float32Codec.decode((byte[]) r.get(targetsAt)));
    Object[] values = new Object[r.size() + 2];
    for (int i = 0; i < r.size(); i++) {
      values[i] = r.get(i);
    }
    values[inputs] = Float32Codec.encode(s.inputs());
    values[targetsAt] = Float32Codec.encode(s.targets());
    values[r.size()] = Float32Codec.encode(s.anchor());
    values[r.size() + 1] = Float32Codec.encode(s.scale());
    return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, schema);
  }
}
