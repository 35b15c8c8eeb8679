package io.tracecast.training.gbt;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one home of the GBT feature layout, used by training, evaluation and prediction alike.
 * A window's model-space {@code inputs} (time-major, {@code lookback x channels}: step t, channel
 * c at {@code t * channels + c}) become {@link #rowsPerWindow()} rows of {@link #width()}
 * features:
 * <ol>
 *   <li>for each channel c in order, lags 1..L (lag 1 = the last step, {@code t = L - 1});</li>
 *   <li>for each channel c in order, the mean and the population standard deviation over the
 *       lookback;</li>
 *   <li>with {@code steps} = H > 0 (the {@link GbtSpec#STEP_FEATURE} strategy) one more column,
 *       {@value #STEP}: the horizon step h, and H rows per window, row r for h = r + 1, the
 *       window's features equal in all of them.</li>
 * </ol>
 * Trees split on one feature at a time, so the summary statistics give them level and spread
 * that a single lag cannot. The values are used as the dataset delivers them (model space): the
 * layout does not depend on how they were scaled.
 *
 * @param lookback time steps per window
 * @param channels input feature names, in the dataset's order
 * @param steps the horizon H whose steps are a feature, or 0 for one row per window without one
 *     (the layout of every version written before the step feature existed)
 */
public record GbtFeatures(int lookback, List<String> channels, int steps) implements Serializable {
  /** The name of the step column. No channel feature can have it: those end in a suffix. */
  public static final String STEP = "step";

  public GbtFeatures {
    channels = List.copyOf(channels);
    if (lookback < 1 || channels.isEmpty() || steps < 0) {
      throw new IllegalArgumentException("GBT features need lookback >= 1, channels and steps "
          + ">= 0, got " + lookback + ", " + channels + ", " + steps);
    }
  }

  /** One row per window, without a step column. */
  public GbtFeatures(int lookback, List<String> channels) {
    this(lookback, channels, 0);
  }

  /** The layout {@code spec}'s strategy trains on for windows of {@code horizon} steps. */
  public static GbtFeatures of(GbtSpec spec, int lookback, List<String> channels, int horizon) {
    return new GbtFeatures(lookback, channels, spec.stepFeature() ? horizon : 0);
  }

  /** Whether the horizon step is a feature. */
  public boolean stepped() {
    return steps > 0;
  }

  /** Feature rows per window: H with the step feature, else 1. */
  public int rowsPerWindow() {
    return Math.max(1, steps);
  }

  /** Features per row: L lags plus mean and std, per channel, plus the step if stepped. */
  public int width() {
    return windowWidth() + (stepped() ? 1 : 0);
  }

  /** The features computed from the window alone. */
  private int windowWidth() {
    return channels.size() * (lookback + 2);
  }

  /** Feature names in column order, e.g. {@code cpu_lag1, ..., cpu_mean, cpu_std[, step]}. */
  public List<String> names() {
    List<String> out = new ArrayList<>(width());
    for (String c : channels) {
      for (int lag = 1; lag <= lookback; lag++) {
        out.add(c + "_lag" + lag);
      }
    }
    for (String c : channels) {
      out.add(c + "_mean");
      out.add(c + "_std");
    }
    if (stepped()) {
      out.add(STEP);
    }
    return out;
  }

  /**
   * Writes the {@link #rowsPerWindow()} feature rows of {@code inputs} into {@code dst} from
   * {@code offset}, row after row.
   */
  public void rows(float[] inputs, float[] dst, int offset) {
    windowRow(inputs, dst, offset);
    int w = width();
    for (int r = 1; r < rowsPerWindow(); r++) {
      System.arraycopy(dst, offset, dst, offset + r * w, windowWidth());
    }
    for (int r = 0; stepped() && r < steps; r++) {
      dst[offset + r * w + windowWidth()] = r + 1;
    }
  }

  /** The window's features (without the step), from {@code offset}. */
  private void windowRow(float[] inputs, float[] dst, int offset) {
    int f = channels.size();
    if (inputs.length != lookback * f) {
      throw new IllegalArgumentException("window inputs have " + inputs.length + " values, "
          + "expected lookback " + lookback + " x " + f + " channels");
    }
    int o = offset;
    for (int c = 0; c < f; c++) {
      for (int lag = 1; lag <= lookback; lag++) {
        dst[o++] = inputs[(lookback - lag) * f + c];
      }
    }
    for (int c = 0; c < f; c++) {
      double sum = 0;
      for (int t = 0; t < lookback; t++) {
        sum += inputs[t * f + c];
      }
      double mean = sum / lookback;
      double sq = 0;
      for (int t = 0; t < lookback; t++) {
        double d = inputs[t * f + c] - mean;
        sq += d * d;
      }
      dst[o++] = (float) mean;
      dst[o++] = (float) Math.sqrt(sq / lookback);
    }
  }

  /** The window's feature rows: {@code rowsPerWindow() x width()}, row r for step r + 1. */
  public float[][] rows(float[] inputs) {
    float[] flat = new float[rowsPerWindow() * width()];
    rows(inputs, flat, 0);
    float[][] out = new float[rowsPerWindow()][];
    for (int r = 0; r < out.length; r++) {
      out[r] = java.util.Arrays.copyOfRange(flat, r * width(), (r + 1) * width());
    }
    return out;
  }

  /** The one feature row of a window (a layout without the step feature). */
  public float[] row(float[] inputs) {
    if (stepped()) {
      throw new IllegalStateException("a step-feature layout has " + steps + " rows per window");
    }
    float[] out = new float[width()];
    rows(inputs, out, 0);
    return out;
  }

  /**
   * Row-major {@code (windows x rowsPerWindow()) x width()} matrix, as XGBoost's dense DMatrix
   * takes it: window i's row r at {@code i * rowsPerWindow() + r}.
   */
  public float[] matrix(List<float[]> inputs) {
    int stride = rowsPerWindow() * width();
    float[] out = new float[inputs.size() * stride];
    for (int i = 0; i < inputs.size(); i++) {
      rows(inputs.get(i), out, i * stride);
    }
    return out;
  }
}
