package io.tracecast.evaluation.baseline;

/**
 * The (p, d, q) of an ARIMA model: p autoregressive lags, d differences, q moving-average lags.
 * d is capped at 2: resource usage is never more than trend-integrated, and higher d only
 * amplifies noise.
 */
public record ArimaOrder(int p, int d, int q) implements java.io.Serializable {
  public ArimaOrder {
    if (p < 0 || d < 0 || d > 2 || q < 0) {
      throw new IllegalArgumentException("ARIMA order needs p >= 0, 0 <= d <= 2, q >= 0, got "
          + p + "," + d + "," + q);
    }
  }

  /** Estimated coefficients: p + q, plus the mean when the series is not differenced. */
  int coefficientCount() {
    return p + q + (d == 0 ? 1 : 0);
  }

  @Override
  public String toString() {
    return "ARIMA(" + p + "," + d + "," + q + ")";
  }
}
