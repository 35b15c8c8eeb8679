package io.tracecast.evaluation.baseline;

import java.util.Arrays;
import java.util.Optional;

/**
 * A fitted ARIMA(p, d, q) forecaster: with w_t = Δ^d x_t,
 * w_t - μ = Σ φ_i (w_{t-i} - μ) + e_t + Σ θ_j e_{t-j}, μ estimated only when d = 0 (as R's
 * {@code arima} does: a differenced resource series has no drift worth extrapolating).
 *
 * <p>Fitted per series by conditional sum of squares ({@link #fit}); no well-kept Java ARIMA
 * library exists on Maven Central, so this is a small implementation tested against OLS,
 * simulations and hand-computed forecasts. Forecasts run the residual recursion once over the
 * series, from index 0 with e_t = 0 for t < d + p, exactly as in estimation; the one-step forecast
 * of x_t uses x_0..x_{t-1} only and is integrated back from the last observed values.
 */
public final class Arima implements Baseline {
  private final ArimaOrder order;
  private final double mean;
  private final double[] ar;
  private final double[] ma;
  private final double sigma2;
  private final double aic;
  private final int fitPoints;
  private final String fallbackReason;
  /** Weights of x_{t-k} in Δ^d x_t, k = 0..d. */
  private final double[] differencingWeights;

  Arima(ArimaOrder order, double mean, double[] ar, double[] ma, double sigma2, double aic,
      int fitPoints, String fallbackReason) {
    if (ar.length != order.p() || ma.length != order.q()) {
      throw new IllegalArgumentException(order + " needs " + order.p() + " AR and " + order.q()
          + " MA coefficients, got " + ar.length + " and " + ma.length);
    }
    if (order.d() > 0 && mean != 0) {
      throw new IllegalArgumentException(order + " has no mean (d > 0), got " + mean);
    }
    this.order = order;
    this.mean = mean;
    this.ar = ar.clone();
    this.ma = ma.clone();
    this.sigma2 = sigma2;
    this.aic = aic;
    this.fitPoints = fitPoints;
    this.fallbackReason = fallbackReason;
    this.differencingWeights = differencingWeights(order.d());
  }

  /**
   * Fits on the last {@code settings.maxFitPoints()} values of {@code train}. A series shorter
   * than {@code settings.minFitPoints()}, constant, or on which no order can be estimated gets
   * ARIMA(0,1,0), i.e. persistence, with {@link #fallbackReason()} saying why.
   *
   * @throws IllegalArgumentException when {@code train} holds NaN or infinite values
   */
  public static Arima fit(double[] train, ArimaSettings settings) {
    return ArimaFitter.fit(train, settings);
  }

  /** A model with given coefficients (μ must be 0 when d > 0); no fit statistics. */
  public static Arima of(ArimaOrder order, double mean, double[] ar, double[] ma) {
    return new Arima(order, mean, ar, ma, Double.NaN, Double.NaN, 0, null);
  }

  static Arima persistenceFallback(int fitPoints, String reason) {
    return new Arima(new ArimaOrder(0, 1, 0), 0, new double[0], new double[0], Double.NaN,
        Double.NaN, fitPoints, reason);
  }

  @Override
  public String name() {
    return "arima";
  }

  /** d + p points (at least 1): the differences the AR part looks back on. */
  @Override
  public int minHistory() {
    return Math.max(1, order.p() + order.d());
  }

  /** O(t): runs the recursion over values[0..t); use the range form for a whole series. */
  @Override
  public double forecast(double[] values, int t) {
    return forecast(values, t, t + 1)[0];
  }

  /** One-step forecasts for t in [from, to), in one O(to) pass of the residual recursion. */
  @Override
  public double[] forecast(double[] values, int from, int to) {
    if (from < minHistory()) {
      throw new IllegalArgumentException(name() + " " + order + " needs " + minHistory()
          + " points of history, asked to forecast from index " + from);
    }
    if (to > values.length || to < from) {
      throw new IllegalArgumentException("forecast range [" + from + ", " + to + ") outside a "
          + values.length + "-point series");
    }
    return recurse(values, from, to, to);
  }

  /**
   * {@inheritDoc} One pass of the residual recursion over the history, then the steps with
   * future shocks set to zero (their expectation).
   */
  @Override
  public double[] forecastAfter(double[] history, int steps) {
    if (history.length < minHistory() || steps < 0) {
      throw new IllegalArgumentException(name() + " " + order + " needs " + minHistory()
          + " points of history and steps >= 0, got " + history.length + " and " + steps);
    }
    double[] extended = Arrays.copyOf(history, history.length + steps);
    return recurse(extended, history.length, extended.length, history.length);
  }

  /**
   * {@inheritDoc} In one pass: the residual recursion runs once over the observed values, and
   * each origin rolls its h steps forward from the last p differences, q residuals and d values
   * of that pass (future shocks zero), O(n h) instead of the default's O(n² h).
   */
  @Override
  public double[] forecastsAhead(double[] values, int from, int h) {
    if (h < 1 || from < 0 || from > values.length) {
      throw new IllegalArgumentException(name() + ": forecasts " + h + " steps ahead from "
          + "index " + from + " of a " + values.length + "-point series");
    }
    int n = values.length;
    double[] x = values.clone();
    double[] w = new double[n];
    double[] e = new double[n];
    recurse(x, n, n, n, w, e);
    double[] out = new double[n - from];
    double[] xs = new double[h];
    double[] ws = new double[h];
    for (int t = from; t < n; t++) {
      int origin = t - h + 1;
      if (origin < minHistory()) {
        out[t - from] = Double.NaN;
        continue;
      }
      for (int k = 0; k < h; k++) {
        int s = origin + k;
        double predicted = predict(s, x, w, e, origin, xs, ws);
        xs[k] = predicted;
        double diff = 0;
        for (int j = 0; j <= order.d(); j++) {
          int at = s - j;
          diff += differencingWeights[j] * (at >= origin ? xs[at - origin] : x[at]);
        }
        ws[k] = diff;
      }
      out[t - from] = xs[h - 1];
    }
    return out;
  }

  /**
   * The forecast of x_s from the values x, differences w and residuals e before s, or NaN
   * before d + p. From index {@code origin} on, values and differences are the forecasts in
   * {@code xs} and {@code ws} (at {@code i - origin}) and residuals are zero: a rollout beyond
   * the origin ({@code origin = Integer.MAX_VALUE} reads the observed arrays only).
   */
  private double predict(int s, double[] x, double[] w, double[] e, int origin, double[] xs,
      double[] ws) {
    int p = order.p();
    int d = order.d();
    if (s < d + p) {
      return Double.NaN;
    }
    double wHat = mean;
    for (int i = 0; i < p; i++) {
      int at = s - 1 - i;
      wHat += ar[i] * ((at >= origin ? ws[at - origin] : w[at]) - mean);
    }
    for (int j = 0; j < order.q() && s - 1 - j >= 0; j++) {
      int at = s - 1 - j;
      wHat += ma[j] * (at >= origin ? 0 : e[at]);
    }
    // x_s = Δ^d x_s - Σ_{k>=1} weight_k x_{s-k}: integrate back from the past
    double predicted = wHat;
    for (int k = 1; k <= d; k++) {
      int at = s - k;
      predicted -= differencingWeights[k] * (at >= origin ? xs[at - origin] : x[at]);
    }
    return predicted;
  }

  /**
   * The residual recursion over x[0..to). Values at indices >= observed are unknown and get
   * overwritten by their forecasts (zero shock); forecasts of [from, to) are returned.
   */
  private double[] recurse(double[] x, int from, int to, int observed) {
    return recurse(x, from, to, observed, new double[to], new double[to]);
  }

  /** {@link #recurse}, leaving the differences in {@code w} and the residuals in {@code e}. */
  private double[] recurse(double[] x, int from, int to, int observed, double[] w, double[] e) {
    int p = order.p();
    int d = order.d();
    double[] out = new double[to - from];
    for (int t = d; t < to; t++) {
      double predicted = predict(t, x, w, e, Integer.MAX_VALUE, null, null);
      if (t >= d + p) {
        if (t >= from) {
          out[t - from] = predicted;
        }
        if (t >= observed) {
          x[t] = predicted;
        }
      }
      double diff = 0;
      for (int k = 0; k <= d; k++) {
        diff += differencingWeights[k] * x[t - k];
      }
      w[t] = diff;
      e[t] = t >= d + p ? x[t] - predicted : 0;
    }
    return out;
  }

  /** Weights of x_{t-k} in Δ^d x_t: (-1)^k C(d, k). */
  private static double[] differencingWeights(int d) {
    double[] weights = new double[d + 1];
    weights[0] = 1;
    for (int k = 1; k <= d; k++) {
      weights[k] = -weights[k - 1] * (d - k + 1) / k;
    }
    return weights;
  }

  public ArimaOrder order() {
    return order;
  }

  /** μ of the undifferenced series (0 when d > 0). */
  public double mean() {
    return mean;
  }

  public double[] ar() {
    return ar.clone();
  }

  public double[] ma() {
    return ma.clone();
  }

  /** CSS innovation variance; NaN for given coefficients and for the fallback. */
  public double sigma2() {
    return sigma2;
  }

  /** AIC of the CSS fit (comparable within one fit's candidates only); NaN when not fitted. */
  public double aic() {
    return aic;
  }

  /** Training points the model was fitted on (after the maxFitPoints cap). */
  public int fitPoints() {
    return fitPoints;
  }

  /** Why the fit fell back to persistence, if it did. */
  public Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  @Override
  public String toString() {
    return order + " mean=" + mean + " ar=" + Arrays.toString(ar) + " ma=" + Arrays.toString(ma)
        + (fallbackReason == null ? "" : " (fallback: " + fallbackReason + ")");
  }
}
