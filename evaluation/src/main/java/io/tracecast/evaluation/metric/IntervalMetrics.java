package io.tracecast.evaluation.metric;

/**
 * Quality of one interval level's forecasts (e.g. the split-conformal 80 % interval): the share
 * of actuals inside, the mean width, and the interval score of Gneiting and Raftery (2007), a
 * proper score that charges the width plus {@code 2/a} times each miss's distance (lower is
 * better; for an 80 % interval {@code a = 0.2}).
 *
 * @param level the nominal coverage, e.g. 0.8
 * @param count points that had an interval (a model without calibration has none)
 */
public record IntervalMetrics(double level, long count, double coverage, double meanWidth,
    double intervalScore) {

  public IntervalMetrics {
    if (!(level > 0 && level < 1) || count < 0) {
      throw new IllegalArgumentException("interval level in (0, 1) and a count >= 0, got "
          + level + ", " + count);
    }
  }

  /**
   * How a level's metrics are named wherever they are written ({@code comparison.csv}, MLflow):
   * {@code pi80} for 0.8, then {@code _coverage}, {@code _width}, {@code _interval_score}.
   */
  public static String prefix(double level) {
    return "pi" + percent(level);
  }

  /** A level in percent as written in names and tags: {@code 80} for 0.8, {@code 97.5}. */
  public static String percent(double level) {
    return new java.math.BigDecimal(Double.toString(level)).movePointRight(2)
        .stripTrailingZeros().toPlainString();
  }

  /** The entry of {@code level} in {@code intervals}, or null when it has none. */
  public static IntervalMetrics at(java.util.List<IntervalMetrics> intervals, double level) {
    return intervals.stream().filter(i -> i.level() == level).findFirst().orElse(null);
  }

  /** The interval score of one forecast interval [lo, hi] of nominal {@code level}. */
  public static double intervalScore(double level, double actual, double lo, double hi) {
    double a = 1 - level;
    return (hi - lo) + (2 / a) * Math.max(0, lo - actual) + (2 / a) * Math.max(0, actual - hi);
  }
}
