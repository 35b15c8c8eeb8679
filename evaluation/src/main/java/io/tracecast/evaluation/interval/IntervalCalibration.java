package io.tracecast.evaluation.interval;

import java.io.Serializable;
import java.util.Locale;

/**
 * How evaluate calibrates the conformal bands ({@code tracecast.evaluate.intervals.calibration}
 * and {@code .window}).
 *
 * @param mode {@link Mode#SPLIT}: once per key on the validation residuals; {@link Mode#ROLLING}:
 *     per forecast, on the {@code window} most recent residuals whose targets were observed by
 *     its origin
 * @param window residuals a rolling band is calibrated on (ignored by split); a forecast whose
 *     origin knows fewer gets the split band
 * @param gamma rolling only: Adaptive Conformal Inference's step size, how far one observed miss
 *     or hit moves a key's running level ({@link OnlineConformal}); 0 = the nominal levels
 */
public record IntervalCalibration(Mode mode, int window, double gamma) implements Serializable {

  /** The calibration modes, as the configuration spells them in lower case. */
  public enum Mode {
    SPLIT, ROLLING;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a configuration label names, or an error listing the labels. */
    public static Mode fromLabel(String label) {
      for (Mode m : values()) {
        if (m.label().equals(label)) {
          return m;
        }
      }
      throw new IllegalArgumentException("split or rolling, got '" + label + "'");
    }
  }

  public IntervalCalibration {
    if (mode == null) {
      throw new IllegalArgumentException("interval calibration mode is required");
    }
    if (window < 1) {
      throw new IllegalArgumentException("rolling window must be >= 1, got " + window);
    }
    if (!(gamma >= 0 && gamma < 1)) {
      throw new IllegalArgumentException("ACI step size must lie in [0, 1), got " + gamma);
    }
  }

  /** Split calibration (the window is unused). */
  public static IntervalCalibration split() {
    return new IntervalCalibration(Mode.SPLIT, 1, 0);
  }

  /**
   * Fewest residuals a rolling window needs for a finite band at every level ({@link
   * SplitConformal#minResiduals} of the widest): a smaller window would fall back to the split
   * band forever.
   */
  public static int minWindow(double[] levels) {
    int min = 1;
    for (double l : levels) {
      min = Math.max(min, SplitConformal.minResiduals(l));
    }
    return min;
  }
}
