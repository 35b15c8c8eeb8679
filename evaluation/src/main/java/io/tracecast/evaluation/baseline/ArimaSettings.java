package io.tracecast.evaluation.baseline;

/**
 * How {@link Arima#fit} chooses and fits a model for one series.
 *
 * @param fixedOrder the order to fit, or {@code null} to select the order by AIC over
 *     p in 0..maxP, d in 0..maxD, q in 0..maxQ
 * @param maxP largest AR order tried by the search
 * @param maxD largest number of differences tried by the search (0..2)
 * @param maxQ largest MA order tried by the search
 * @param maxFitPoints only the last this-many training points are fitted: 2016 = 7 days at a
 *     5-minute step, enough for short-memory coefficients and keeps a fit in milliseconds
 * @param minFitPoints below this many training points no model is estimated and the fit falls
 *     back to ARIMA(0,1,0), i.e. persistence
 */
public record ArimaSettings(ArimaOrder fixedOrder, int maxP, int maxD, int maxQ,
    int maxFitPoints, int minFitPoints) implements java.io.Serializable {

  public static final int DEFAULT_MAX_FIT_POINTS = 2016;
  public static final int DEFAULT_MIN_FIT_POINTS = 30;

  public ArimaSettings {
    if (maxP < 0 || maxQ < 0 || maxD < 0 || maxD > 2) {
      throw new IllegalArgumentException("ARIMA search needs maxP >= 0, 0 <= maxD <= 2, maxQ >= 0,"
          + " got " + maxP + "," + maxD + "," + maxQ);
    }
    if (minFitPoints < 3 || maxFitPoints < minFitPoints) {
      throw new IllegalArgumentException("ARIMA fit points need 3 <= minFitPoints <= maxFitPoints,"
          + " got min " + minFitPoints + ", max " + maxFitPoints);
    }
  }

  /** AIC search over p <= 3, d in {0, 1}, q <= 2 on the last 2016 points. */
  public static ArimaSettings selectByAic() {
    return new ArimaSettings(null, 3, 1, 2, DEFAULT_MAX_FIT_POINTS, DEFAULT_MIN_FIT_POINTS);
  }

  /** One given order on the last 2016 points. */
  public static ArimaSettings fixed(ArimaOrder order) {
    return new ArimaSettings(order, order.p(), order.d(), order.q(), DEFAULT_MAX_FIT_POINTS,
        DEFAULT_MIN_FIT_POINTS);
  }

  public ArimaSettings withMaxFitPoints(int points) {
    return new ArimaSettings(fixedOrder, maxP, maxD, maxQ, points, minFitPoints);
  }

  public boolean selectsOrder() {
    return fixedOrder == null;
  }
}
