package io.tracecast.evaluation.report;

import java.util.List;

/**
 * Predicted against actual over (a stretch of) one series' test split, for plots. Arrays are
 * aligned with {@code timesMillis} (epoch ms, UTC), the forecasts' target times;
 * {@code lower}/{@code upper} are the lowest and highest quantile forecasts, or null for point
 * forecasters.
 *
 * @param step the horizon step every forecast of the trace was made at: a point at time t was
 *     forecast from the origin t - step
 * @param intervals the split-conformal intervals of those forecasts, narrowest level first;
 *     empty when none were calibrated (a bound is NaN where its key had too few residuals)
 */
public record ForecastTrace(String job, String series, String label, long[] timesMillis,
    double[] actual, double[] predicted, double[] lower, double[] upper, int step,
    List<Interval> intervals) {

  /** A one-step trace without conformal intervals (the forecast-vs-actual plots). */
  public ForecastTrace(String job, String series, String label, long[] timesMillis,
      double[] actual, double[] predicted, double[] lower, double[] upper) {
    this(job, series, label, timesMillis, actual, predicted, lower, upper, 1, List.of());
  }

  public ForecastTrace {
    int n = timesMillis.length;
    if (actual.length != n || predicted.length != n || (lower != null && lower.length != n)
        || (upper != null && upper.length != n)) {
      throw new IllegalArgumentException("trace arrays must all have " + n + " values");
    }
    // reports written before traces had steps read back with 0: they were one-step traces
    step = step == 0 ? 1 : step;
    if (step < 1) {
      throw new IllegalArgumentException("trace step must be >= 1, got " + step);
    }
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
    for (int i = 0; i < intervals.size(); i++) {
      Interval b = intervals.get(i);
      if (b.lower().length != n || (i > 0 && !(b.level() > intervals.get(i - 1).level()))) {
        throw new IllegalArgumentException("intervals need " + n + " bounds each and ascending"
            + " levels, got level " + b.level() + " with " + b.lower().length + " bounds");
      }
    }
  }

  /**
   * The central interval of nominal coverage {@code level} (0.8 = p10..p90) around each
   * forecast of the trace, aligned with its times.
   */
  public record Interval(double level, double[] lower, double[] upper) {
    public Interval {
      if (!(level > 0 && level < 1) || lower.length != upper.length) {
        throw new IllegalArgumentException("an interval needs a level in (0, 1) and as many "
            + "lower as upper bounds, got " + level + ", " + lower.length + " and "
            + upper.length);
      }
    }
  }
}
