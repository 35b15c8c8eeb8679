package io.tracecast.etl.dataset;

import org.apache.spark.sql.Row;

/**
 * The dataset contract's table schema: the column names of the window table ({@code windows/})
 * and of the cleaned series table ({@code series/}), the tensor layout of a window, and the one
 * way to read a window row. Training, evaluation and predict read windows only through these
 * names and accessors, so a renamed column or a changed layout has one place to change.
 *
 * <p>Tensor layout: {@link #INPUTS} holds {@code lookback x features} float32 values time-major
 * (step {@code t}, feature {@code f} at {@code t * features + f}; the manifest's
 * {@code features} order); {@link #TARGETS} holds {@code horizon x targets} values step-major
 * ({@code h * targets + k}); {@link #ANCHOR} and {@link #SCALE} hold one value per target, the
 * window's normalisation, present once {@link WindowScaling} has joined them. All four are
 * {@link Float32Codec} bytes.
 */
public final class WindowSchema {
  private WindowSchema() {}

  public static final String JOB_ID = "job_id";
  public static final String SERIES_ID = "series_id";
  /** The series' contiguous segment (a long gap starts a new one); windows never span two. */
  public static final String SEGMENT = "segment";
  /** Time of the window's last input step (the forecast origin). */
  public static final String END_TIME = "end_time";
  public static final String INPUTS = "inputs";
  public static final String TARGETS = "targets";
  /** {@link Split#label()}: a partition column of both tables. */
  public static final String SPLIT = "split";
  /** Per-target normalisation anchor and scale of the window (model space -> original units). */
  public static final String ANCHOR = "anchor";
  public static final String SCALE = "scale";
  /** The series table's timestamp column (one row per resampled step). */
  public static final String TS = "ts";

  /** Index of step {@code t}, feature {@code f} in {@link #INPUTS}. */
  public static int inputIndex(int step, int feature, int features) {
    return step * features + feature;
  }

  /** Index of horizon step {@code h} (0-based), target {@code k} in {@link #TARGETS}. */
  public static int targetIndex(int step, int target, int targets) {
    return step * targets + target;
  }

  public static String jobId(Row r) {
    return r.getString(r.fieldIndex(JOB_ID));
  }

  public static String seriesId(Row r) {
    return r.getString(r.fieldIndex(SERIES_ID));
  }

  public static int segment(Row r) {
    return r.getInt(r.fieldIndex(SEGMENT));
  }

  public static long endMillis(Row r) {
    return r.getTimestamp(r.fieldIndex(END_TIME)).getTime();
  }

  public static Split split(Row r) {
    return Split.fromLabel(r.getString(r.fieldIndex(SPLIT)));
  }

  public static float[] inputs(Row r) {
    return floats(r, INPUTS);
  }

  public static float[] targets(Row r) {
    return floats(r, TARGETS);
  }

  public static float[] anchor(Row r) {
    return floats(r, ANCHOR);
  }

  public static float[] scale(Row r) {
    return floats(r, SCALE);
  }

  /** A tensor column of an encoded row (float32 bytes), decoded without boxing. */
  private static float[] floats(Row r, String column) {
    return Float32Codec.decode((byte[]) r.get(r.fieldIndex(column)));
  }
}
