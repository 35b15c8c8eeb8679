package io.tracecast.evaluation.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

class ArimaEstimationTest {

  @Test
  void cssEstimateOfAPureAutoregressionEqualsTheOlsRegressionOnItsLags() {
    double[] x = ArmaSimulation.arma(11, 1500, 40, new double[] {0.6, -0.25}, new double[0]);
    Arima fitted = Arima.fit(x, ArimaSettings.fixed(new ArimaOrder(2, 0, 0)));

    // independent computation: x_t = c + a1 x_{t-1} + a2 x_{t-2} by OLS for t >= 2
    int rows = x.length - 2;
    double[] y = new double[rows];
    double[][] lags = new double[rows][2];
    for (int r = 0; r < rows; r++) {
      y[r] = x[r + 2];
      lags[r][0] = x[r + 1];
      lags[r][1] = x[r];
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.newSampleData(y, lags);
    double[] beta = ols.estimateRegressionParameters();

    double[] ar = fitted.ar();
    assertArrayEquals(new double[] {beta[1], beta[2]}, ar, 1e-6);
    double intercept = fitted.mean() * (1 - ar[0] - ar[1]);
    assertEquals(beta[0], intercept, 1e-6);
    assertEquals(ols.calculateResidualSumOfSquares() / rows, fitted.sigma2(), 1e-6);
  }

  @Test
  void theFitDoesNotDependOnTheSeriesUnits() {
    // Google 2019's usage is ~1e-5 of a machine: a fit must give the same model (coefficients,
    // order, forecasts in proportion) whatever the units, as the likelihood is scale-free
    double[] x = ArmaSimulation.arma(5, 1500, 3, new double[] {0.6}, new double[] {0.3});
    double scale = 1e-6;
    double[] small = new double[x.length];
    for (int t = 0; t < x.length; t++) {
      small[t] = x[t] * scale;
    }
    Arima reference = Arima.fit(x, ArimaSettings.selectByAic());
    Arima scaled = Arima.fit(small, ArimaSettings.selectByAic());

    assertEquals(reference.order(), scaled.order());
    assertArrayEquals(reference.ar(), scaled.ar(), 1e-6);
    assertArrayEquals(reference.ma(), scaled.ma(), 1e-6);
    assertEquals(reference.mean() * scale, scaled.mean(), 1e-6 * scale);
    double[] ahead = reference.forecastAfter(x, 12);
    double[] aheadSmall = scaled.forecastAfter(small, 12);
    for (int k = 0; k < 12; k++) {
      assertEquals(ahead[k] * scale, aheadSmall[k], 1e-6 * scale, "step " + (k + 1));
    }
  }

  @Test
  void recoversArmaOneOneCoefficientsFromASimulatedPath() {
    double[] x = ArmaSimulation.arma(7, 5000, 0.5, new double[] {0.7}, new double[] {0.5});
    Arima fitted = Arima.fit(x, ArimaSettings.fixed(new ArimaOrder(1, 0, 1))
        .withMaxFitPoints(5000));

    assertEquals(5000, fitted.fitPoints());
    assertEquals(0.7, fitted.ar()[0], 0.05);
    assertEquals(0.5, fitted.ma()[0], 0.05);
    assertEquals(0.5, fitted.mean(), 0.3); // sd of the mean of this ARMA at n=5000 is ~0.08
    assertEquals(1.0, fitted.sigma2(), 0.05); // unit-variance shocks
  }

  @Test
  void recoversTheMovingAverageOfARandomWalkPlusNoise() {
    // level_t = level_{t-1} + η_t, x_t = level_t + ε_t, both unit variance: Δx_t = η_t + ε_t
    // - ε_{t-1} is MA(1) with lag-1 autocorrelation -1/3, so θ/(1+θ²) = -1/3 and the invertible
    // root is θ = (√5 - 3) / 2 ≈ -0.382
    Random random = new Random(3);
    int n = 5000;
    double[] x = new double[n];
    double level = 100;
    for (int t = 0; t < n; t++) {
      level += random.nextGaussian();
      x[t] = level + random.nextGaussian();
    }
    Arima fitted = Arima.fit(x, ArimaSettings.fixed(new ArimaOrder(0, 1, 1))
        .withMaxFitPoints(n));

    assertEquals((Math.sqrt(5) - 3) / 2, fitted.ma()[0], 0.05);
    assertEquals(0.0, fitted.mean());
  }

  @Test
  void keepsAnOverDifferencedMovingAverageInvertible() {
    // white noise differenced once is MA(1) with θ = -1, on the unit circle
    double[] x = ArmaSimulation.arma(5, 2000, 10, new double[0], new double[0]);
    Arima fitted = Arima.fit(x, ArimaSettings.fixed(new ArimaOrder(0, 1, 1)));

    assertTrue(ArmaConstraints.isInvertible(fitted.ma()), fitted.toString());
    assertTrue(fitted.ma()[0] < -0.9, fitted.toString());
  }

  @Test
  void admissibleRegionMatchesTheAr2StationarityTriangle() {
    // AR(2) is stationary iff φ1 + φ2 < 1, φ2 - φ1 < 1, |φ2| < 1
    assertTrue(ArmaConstraints.isStationary(new double[] {0.5, 0.3}));
    assertTrue(!ArmaConstraints.isStationary(new double[] {0.8, 0.3}));
    assertTrue(!ArmaConstraints.isStationary(new double[] {-0.8, 0.3}));
    assertTrue(!ArmaConstraints.isStationary(new double[] {0.0, -1.1}));
    assertTrue(ArmaConstraints.isInvertible(new double[] {0.9}));
    assertTrue(!ArmaConstraints.isInvertible(new double[] {-1.2}));
    double[] pulledIn = ArmaConstraints.stationary(new double[] {1.3, -0.1});
    assertTrue(ArmaConstraints.isStationary(pulledIn));
    assertTrue(pulledIn[0] + pulledIn[1] > 0.98, "projection stays near the boundary");
  }
}
