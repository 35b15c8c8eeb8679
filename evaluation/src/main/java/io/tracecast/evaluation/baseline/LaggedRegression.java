package io.tracecast.evaluation.baseline;

import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/** OLS of a series on its own lags and, optionally, on lags of a second (shock) series. */
final class LaggedRegression {
  private LaggedRegression() {}

  /**
   * Regresses y_s on y_{s-1..s-p} and shocks_{s-1..s-q} for s in [first, n).
   *
   * @return [intercept (only when withIntercept), p lag coefficients, q shock coefficients]
   * @throws RuntimeException (commons-math3) when the design is singular
   */
  static double[] fit(double[] y, double[] shocks, int p, int q, int first,
      boolean withIntercept) {
    int rows = y.length - first;
    double[] target = new double[rows];
    double[][] design = new double[rows][p + q];
    for (int r = 0; r < rows; r++) {
      int s = first + r;
      target[r] = y[s];
      for (int i = 0; i < p; i++) {
        design[r][i] = y[s - 1 - i];
      }
      for (int j = 0; j < q; j++) {
        design[r][p + j] = shocks[s - 1 - j];
      }
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.setNoIntercept(!withIntercept);
    ols.newSampleData(target, design);
    return ols.estimateRegressionParameters();
  }
}
