package io.tracecast.training.gbt;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one home of the GBT feature layout, used by training, evaluation and prediction alike.
 * A window's model-space {@code inputs} (time-major, {@code lookback x channels}: step t, channel
 * c at {@code t * channels + c}) become one row of {@link #width()} features:
 * <ol>
 *   <li>for each channel c in order, lags 1..L (lag 1 = the last step, {@code t = L - 1});</li>
 *   <li>for each channel c in order, the mean and the population standard deviation over the
 *       lookback.</li>
 * </ol>
 * Trees split on one feature at a time, so the summary statistics give them level and spread
 * that a single lag cannot. The values are used as the dataset delivers them (model space): the
 * layout does not depend on how they were scaled.
 *
 * @param lookback time steps per window
 * @param channels input feature names, in the dataset's order
 */
public record GbtFeatures(int lookback, List<String> channels) implements Serializable {

  public GbtFeatures {
    channels = List.copyOf(channels);
    if (lookback < 1 || channels.isEmpty()) {
      throw new IllegalArgumentException("GBT features need lookback >= 1 and channels, got "
          + lookback + ", " + channels);
    }
  }

  /** Features per row: L lags plus mean and std, per channel. */
  public int width() {
    return channels.size() * (lookback + 2);
  }

  /** Feature names in column order, e.g. {@code cpu_lag1, ..., cpu_mean, cpu_std}. */
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
    return out;
  }

  /** Writes the feature row of {@code inputs} into {@code dst} from {@code offset}. */
  public void row(float[] inputs, float[] dst, int offset) {
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

  /** One feature row. */
  public float[] row(float[] inputs) {
    float[] out = new float[width()];
    row(inputs, out, 0);
    return out;
  }

  /** Row-major {@code windows x width()} matrix, as XGBoost's dense DMatrix takes it. */
  public float[] matrix(List<float[]> inputs) {
    float[] out = new float[inputs.size() * width()];
    for (int i = 0; i < inputs.size(); i++) {
      row(inputs.get(i), out, i * width());
    }
    return out;
  }
}
