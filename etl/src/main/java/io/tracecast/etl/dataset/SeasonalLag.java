package io.tracecast.etl.dataset;

import java.io.Serializable;
import java.time.Duration;

/**
 * One seasonal lag of the dataset contract: for every target an extra input channel named
 * {@code <target>_lag_<label>} (e.g. {@code cpu_lag_1d}) that carries the target one season
 * earlier, aligned so that the window's last input step holds y(t + H + 1 - season): the step
 * before y(t + H - season), and so on. The channel covers the neighbourhood of the forecast
 * point one season back without ever looking past t, because {@code steps > horizon + 1}.
 *
 * @param label the lag as written in the manifest and channel names: {@code 1w}, {@code 1d},
 *     {@code 6h}, {@code 30m} or {@code 90s}, the largest unit that divides it
 * @param steps the lag in dataset steps
 */
public record SeasonalLag(String label, int steps) implements Serializable {
  private static final String INFIX = "_lag_";

  public SeasonalLag {
    if (label == null || label.isBlank() || steps < 1) {
      throw new IllegalArgumentException("a seasonal lag needs a label and steps >= 1, got "
          + label + ", " + steps);
    }
  }

  /**
   * The lag in steps of {@code step}; fails unless it is a whole number of steps greater than
   * {@code horizon + 1} (a shorter lag would put a value after the window's end in the channel).
   */
  public static SeasonalLag of(Duration lag, Duration step, int horizon) {
    String label = label(lag);
    if (lag.isNegative() || lag.isZero() || lag.toNanos() % step.toNanos() != 0) {
      throw new IllegalArgumentException("seasonal lag " + label
          + " is not a positive whole number of " + label(step) + " steps");
    }
    long steps = lag.toNanos() / step.toNanos();
    if (steps <= horizon + 1L || steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("seasonal lag " + label + " is " + steps + " steps of "
          + label(step) + "; it must be more than horizon + 1 = " + (horizon + 1) + " steps");
    }
    return new SeasonalLag(label, (int) steps);
  }

  /** The largest unit of w, d, h, m, s that divides the duration, e.g. 1d, 1w, 90s. */
  public static String label(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() != 0 || s == 0) {
      return d.toString();
    }
    long[] units = {7 * 86_400L, 86_400L, 3_600L, 60L, 1L};
    String[] names = {"w", "d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (s % units[i] == 0) {
        return s / units[i] + names[i];
      }
    }
    throw new AssertionError("unreachable: every whole second is divisible by 1");
  }

  /** The input channel of {@code target} for this lag, e.g. {@code cpu_lag_1d}. */
  public String channel(String target) {
    return channel(target, label);
  }

  /** The channel name rule, for readers that know only the manifest's labels. */
  public static String channel(String target, String label) {
    return target + INFIX + label;
  }

  /**
   * Offset in steps from a lookback step to the point its channel value is read from:
   * {@code horizon + 1 - steps}, always negative.
   */
  public int offsetSteps(int horizon) {
    return horizon + 1 - steps;
  }
}
