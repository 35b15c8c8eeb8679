package io.tracecast.evaluation.baseline;

import java.util.Random;

/** Seeded Gaussian ARIMA paths for estimation tests, with a burn-in so the start is forgotten. */
final class ArmaSimulation {
  private static final int BURN_IN = 500;

  private ArmaSimulation() {}

  /** ARMA(p, q) around {@code mean} with unit-variance shocks. */
  static double[] arma(long seed, int n, double mean, double[] ar, double[] ma) {
    Random random = new Random(seed);
    int total = n + BURN_IN;
    double[] x = new double[total];
    double[] e = new double[total];
    for (int t = 0; t < total; t++) {
      e[t] = random.nextGaussian();
      double v = e[t];
      for (int i = 0; i < ar.length && t - 1 - i >= 0; i++) {
        v += ar[i] * x[t - 1 - i];
      }
      for (int j = 0; j < ma.length && t - 1 - j >= 0; j++) {
        v += ma[j] * e[t - 1 - j];
      }
      x[t] = v;
    }
    double[] out = new double[n];
    for (int t = 0; t < n; t++) {
      out[t] = mean + x[BURN_IN + t];
    }
    return out;
  }

  /** Cumulative sum starting at {@code start}: integrates an ARMA path once. */
  static double[] integrated(double start, double[] increments) {
    double[] out = new double[increments.length];
    double level = start;
    for (int t = 0; t < increments.length; t++) {
      level += increments[t];
      out[t] = level;
    }
    return out;
  }
}
