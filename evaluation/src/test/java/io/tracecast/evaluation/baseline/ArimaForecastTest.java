package io.tracecast.evaluation.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArimaForecastTest {

  @Test
  void oneStepForecastsFollowTheArmaRecursionByHand() {
    // w_t - 10 = 0.5 (w_{t-1} - 10) + e_t + 0.4 e_{t-1}, e_0 = 0 (conditioned on)
    Arima model = Arima.of(new ArimaOrder(1, 0, 1), 10, new double[] {0.5}, new double[] {0.4});
    double[] values = {10, 12, 11, 9};
    // t=1: 10 + 0.5*(10-10) + 0.4*0        = 10     e_1 = 12 - 10   = 2
    // t=2: 10 + 0.5*(12-10) + 0.4*2        = 11.8   e_2 = 11 - 11.8 = -0.8
    // t=3: 10 + 0.5*(11-10) + 0.4*(-0.8)   = 10.18
    assertArrayEquals(new double[] {10, 11.8, 10.18}, model.forecast(values, 1, 4), 1e-12);
    assertEquals(10.18, model.forecast(values, 3), 1e-12);
  }

  @Test
  void arimaZeroOneOneForecastsEqualSimpleExponentialSmoothing() {
    // ARIMA(0,1,1) with θ = α - 1 is exponential smoothing with weight α (here 0.5):
    // level 100 -> 0.5*104 + 0.5*100 = 102 -> 0.5*103 + 0.5*102 = 102.5 -> ...
    Arima model = Arima.of(new ArimaOrder(0, 1, 1), 0, new double[0], new double[] {-0.5});
    double[] values = {100, 104, 103, 107, 90};
    double level = values[0];
    double[] smoothed = new double[values.length - 1];
    for (int t = 1; t < values.length; t++) {
      smoothed[t - 1] = level;
      level = 0.5 * values[t] + 0.5 * level;
    }
    assertArrayEquals(new double[] {100, 102, 102.5}, java.util.Arrays.copyOf(smoothed, 3));
    assertArrayEquals(smoothed, model.forecast(values, 1, 5), 1e-12);
  }

  @Test
  void twiceDifferencedRandomWalkExtrapolatesTheLastSlope() {
    Arima model = Arima.of(new ArimaOrder(0, 2, 0), 0, new double[0], new double[0]);
    double[] values = {1, 4, 6, 7, 11};
    // x̂_t = 2 x_{t-1} - x_{t-2}
    assertArrayEquals(new double[] {7, 8, 8}, model.forecast(values, 2, 5), 1e-12);
  }

  @Test
  void forecastAtTDoesNotLookAtValuesFromTOnwards() {
    double[] series = ArmaSimulation.arma(21, 600, 3, new double[] {0.6}, new double[] {0.3});
    Arima model = Arima.fit(series, ArimaSettings.selectByAic());
    double[] whole = model.forecast(series, 10, 600);
    for (int t : new int[] {10, 57, 300, 599}) {
      double[] perturbed = series.clone();
      for (int i = t; i < perturbed.length; i++) {
        perturbed[i] += 1000 * (i % 3 - 1);
      }
      assertEquals(whole[t - 10], model.forecast(perturbed, t), 0.0, "t=" + t);
      assertEquals(whole[t - 10], model.forecast(perturbed, 10, 600)[t - 10], 0.0, "t=" + t);
    }
  }

  @Test
  void rangeForecastsEqualPointForecasts() {
    double[] series = ArmaSimulation.integrated(50,
        ArmaSimulation.arma(4, 300, 0, new double[] {0.4}, new double[] {-0.3}));
    Arima model = Arima.fit(series, ArimaSettings.fixed(new ArimaOrder(1, 1, 1)));
    double[] whole = model.forecast(series, 2, 300);
    for (int t = 2; t < 300; t += 37) {
      assertEquals(model.forecast(series, t), whole[t - 2], 1e-12);
    }
  }

  @Test
  void forecastAheadDecaysTowardsTheMeanWithZeroFutureShocks() {
    Arima model = Arima.of(new ArimaOrder(1, 0, 0), 2, new double[] {0.5}, new double[0]);
    // 2 + 0.5^h (10 - 2)
    assertArrayEquals(new double[] {6, 4, 3}, model.forecastAfter(new double[] {1, 10}, 3),
        1e-12);
    Arima walk = Arima.of(new ArimaOrder(0, 1, 1), 0, new double[0], new double[] {-0.5});
    // smoothed level after {100, 104} is 102; flat from there
    assertArrayEquals(new double[] {102, 102}, walk.forecastAfter(new double[] {100, 104}, 2),
        1e-12);
  }

  /**
   * The one-pass multi-step forecasts equal the generic recursion (Baseline's default: the
   * one-step forecast h times per point, each on the series with its own forecasts fed back),
   * for every step and order kind, including origins right at the minimum history.
   */
  @Test
  void forecastsAheadInOnePassEqualTheOneStepRecursionFedItsOwnForecasts() {
    java.util.Random random = new java.util.Random(7);
    double[] values = new double[120];
    for (int t = 0; t < values.length; t++) {
      values[t] = 5 + Math.sin(t / 5.0) + 0.3 * random.nextGaussian() + (t > 0 ? 0.1 * t : 0);
    }
    Arima[] models = {
        Arima.of(new ArimaOrder(2, 0, 1), 5, new double[] {0.6, -0.2}, new double[] {0.3}),
        Arima.of(new ArimaOrder(1, 1, 2), 0, new double[] {0.4}, new double[] {-0.3, 0.2}),
        Arima.of(new ArimaOrder(0, 2, 1), 0, new double[0], new double[] {-0.7}),
        Arima.of(new ArimaOrder(0, 1, 0), 0, new double[0], new double[0])};
    for (Arima model : models) {
      Baseline generic = new Baseline() {
        @Override
        public String name() {
          return "generic";
        }

        @Override
        public int minHistory() {
          return model.minHistory();
        }

        @Override
        public double forecast(double[] v, int t) {
          return model.forecast(v, t);
        }
      };
      for (int h = 1; h <= 6; h++) {
        int from = model.minHistory();
        double[] expected = generic.forecastsAhead(values, from, h);
        double[] actual = model.forecastsAhead(values, from, h);
        for (int i = 0; i < expected.length; i++) {
          if (Double.isNaN(expected[i])) {
            assertTrue(Double.isNaN(actual[i]), model + " h=" + h + " t=" + (from + i));
          } else {
            assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])),
                model + " h=" + h + " t=" + (from + i));
          }
        }
        assertTrue(h == 1 || Double.isNaN(actual[0]), "the first origin lacks history");
      }
      // from one origin (what predict serves beyond the data): the override's one pass equals
      // the default's one-step forecast fed its own forecasts
      double[] history = java.util.Arrays.copyOf(values, 90);
      assertArrayEquals(generic.forecastAfter(history, 12), model.forecastAfter(history, 12),
          1e-9, model.toString());
    }
  }

  @Test
  void refusesToForecastWithoutEnoughHistory() {
    Arima model = Arima.of(new ArimaOrder(2, 1, 0), 0, new double[] {0.1, 0.1}, new double[0]);
    assertEquals(3, model.minHistory());
    assertThrows(IllegalArgumentException.class,
        () -> model.forecast(new double[] {1, 2, 3, 4}, 2, 4));
    assertThrows(IllegalArgumentException.class,
        () -> Arima.of(new ArimaOrder(1, 1, 0), 5, new double[] {0.1}, new double[0]));
  }
}
