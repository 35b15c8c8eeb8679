package io.tracecast.evaluation.report;

/**
 * Predicted against actual over (a stretch of) one series' test split, for plots. Arrays are
 * aligned with {@code timesMillis} (epoch ms, UTC); {@code lower}/{@code upper} are the lowest
 * and highest quantile forecasts, or null for point forecasters.
 */
public record ForecastTrace(String job, String series, String label, long[] timesMillis,
    double[] actual, double[] predicted, double[] lower, double[] upper) {

  public ForecastTrace {
    int n = timesMillis.length;
    if (actual.length != n || predicted.length != n || (lower != null && lower.length != n)
        || (upper != null && upper.length != n)) {
      throw new IllegalArgumentException("trace arrays must all have " + n + " values");
    }
  }
}
