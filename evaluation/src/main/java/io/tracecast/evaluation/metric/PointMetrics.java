package io.tracecast.evaluation.metric;

/**
 * Accuracy of point forecasts, in the units of the values given (the evaluation passes original
 * units, after inverse scaling).
 *
 * <p>MAPE skips actual values with {@code |actual| < mapeFloor}: CPU fractions near zero would
 * otherwise dominate it with divisions by almost nothing; {@code mapeCount} says how many
 * points it covers. sMAPE uses {@code 2|y - ŷ| / (|y| + |ŷ|)} and counts 0 when both are 0.
 * Percentages are in percent.
 */
public record PointMetrics(long count, double mse, double rmse, double mae, double mape,
    long mapeCount, double smape, double r2) {

  public static final double DEFAULT_MAPE_FLOOR = 1e-3;

  public static PointMetrics of(double[] actual, double[] predicted) {
    return of(actual, predicted, DEFAULT_MAPE_FLOOR);
  }

  public static PointMetrics of(double[] actual, double[] predicted, double mapeFloor) {
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(
          "actual has " + actual.length + " values, predicted " + predicted.length);
    }
    int n = actual.length;
    if (n == 0) {
      throw new IllegalArgumentException("no values to score");
    }
    double sumSq = 0;
    double sumAbs = 0;
    double sumApe = 0;
    long apeCount = 0;
    double sumSape = 0;
    double mean = 0;
    for (double a : actual) {
      mean += a / n;
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      double e = actual[i] - predicted[i];
      sumSq += e * e;
      sumAbs += Math.abs(e);
      if (Math.abs(actual[i]) >= mapeFloor) {
        sumApe += Math.abs(e / actual[i]);
        apeCount++;
      }
      double denominator = Math.abs(actual[i]) + Math.abs(predicted[i]);
      sumSape += denominator == 0 ? 0 : 2 * Math.abs(e) / denominator;
      total += (actual[i] - mean) * (actual[i] - mean);
    }
    double mse = sumSq / n;
    return new PointMetrics(n, mse, Math.sqrt(mse), sumAbs / n,
        apeCount == 0 ? Double.NaN : 100 * sumApe / apeCount, apeCount, 100 * sumSape / n,
        total == 0 ? Double.NaN : 1 - sumSq / total);
  }

  /** This model's MAE relative to a reference's (below 1 beats the reference). */
  public double maeRatio(PointMetrics reference) {
    return mae / reference.mae;
  }
}
