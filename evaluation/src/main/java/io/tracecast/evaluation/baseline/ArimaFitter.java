package io.tracecast.evaluation.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits {@link Arima} models: one given order, or the AIC-best order of a grid.
 *
 * <p>Comparing AIC across d is legitimate here because every candidate is scored on the same
 * observations: all condition on the first maxP + maxD training points and sum squared
 * residuals over the rest. Differencing is a unit-triangular change of variables, so the
 * conditional Gaussian likelihood of x_t given its past equals that of Δ^d x_t given its past,
 * and the candidates' likelihoods describe the same data.
 */
final class ArimaFitter {
  private ArimaFitter() {}

  static Arima fit(double[] train, ArimaSettings settings) {
    for (int i = 0; i < train.length; i++) {
      if (!Double.isFinite(train[i])) {
        throw new IllegalArgumentException("ARIMA training series has " + train[i]
            + " at index " + i);
      }
    }
    double[] x = Arrays.copyOfRange(train, Math.max(0, train.length - settings.maxFitPoints()),
        train.length);
    if (x.length < settings.minFitPoints()) {
      return Arima.persistenceFallback(x.length, "only " + x.length + " training points, "
          + settings.minFitPoints() + " needed");
    }
    if (isConstant(x)) {
      return Arima.persistenceFallback(x.length, "constant training series");
    }
    List<ArimaOrder> candidates = candidates(settings);
    int conditionOn = settings.selectsOrder()
        ? settings.maxP() + settings.maxD()
        : settings.fixedOrder().p() + settings.fixedOrder().d();
    Arima best = null;
    for (int d = 0; d <= 2; d++) {
      CssEstimator estimator = null;
      for (ArimaOrder order : candidates) {
        if (order.d() != d) {
          continue;
        }
        if (estimator == null) {
          estimator = new CssEstimator(differenced(x, d), d == 0);
        }
        Arima candidate = fitOne(estimator, order, conditionOn - d, x.length);
        if (candidate != null && (best == null || candidate.aic() < best.aic())) {
          best = candidate;
        }
      }
    }
    return best != null ? best
        : Arima.persistenceFallback(x.length, "no candidate order could be estimated");
  }

  /** Null when the order has too few scored points for its coefficients or fails numerically. */
  private static Arima fitOne(CssEstimator estimator, ArimaOrder order, int scoreFrom,
      int fitPoints) {
    int parameters = order.coefficientCount() + 1; // + the innovation variance
    CssEstimator.ArmaFit fit;
    try {
      fit = estimator.fit(order.p(), order.q(), scoreFrom);
    } catch (RuntimeException numericalFailure) {
      return null;
    }
    if (fit.scored() <= 2 * parameters || !Double.isFinite(fit.css())) {
      return null;
    }
    // floor keeps a perfect fit (css = 0) from producing -Infinity and NaN comparisons
    double sigma2 = Math.max(fit.css() / fit.scored(), Double.MIN_NORMAL);
    double logLikelihood = -0.5 * fit.scored() * (Math.log(2 * Math.PI * sigma2) + 1);
    double aic = -2 * logLikelihood + 2 * parameters;
    return new Arima(order, fit.mean(), fit.ar(), fit.ma(), sigma2, aic, fitPoints, null);
  }

  private static List<ArimaOrder> candidates(ArimaSettings settings) {
    if (!settings.selectsOrder()) {
      return List.of(settings.fixedOrder());
    }
    List<ArimaOrder> orders = new ArrayList<>();
    for (int d = 0; d <= settings.maxD(); d++) {
      for (int p = 0; p <= settings.maxP(); p++) {
        for (int q = 0; q <= settings.maxQ(); q++) {
          orders.add(new ArimaOrder(p, d, q));
        }
      }
    }
    return orders;
  }

  static double[] differenced(double[] x, int d) {
    double[] w = x;
    for (int i = 0; i < d; i++) {
      double[] next = new double[w.length - 1];
      for (int t = 1; t < w.length; t++) {
        next[t - 1] = w[t] - w[t - 1];
      }
      w = next;
    }
    return w;
  }

  /** Constant up to rounding relative to the level, where no coefficient is identifiable. */
  private static boolean isConstant(double[] x) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max - min <= 1e-12 * Math.max(1, Math.max(Math.abs(min), Math.abs(max)));
  }
}
