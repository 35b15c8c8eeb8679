package io.tracecast.evaluation.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;

class PointMetricsTest {

  @Test
  void matchesHandComputationOnASmallCase() {
    double[] y = {0.10, 0.20, 0.40, 0.0005};
    double[] p = {0.12, 0.15, 0.40, 0.0015};
    PointMetrics m = PointMetrics.of(y, p);
    // errors: -0.02, 0.05, 0, -0.001
    assertEquals((0.0004 + 0.0025 + 0 + 0.000001) / 4, m.mse(), 1e-15);
    assertEquals(Math.sqrt(m.mse()), m.rmse(), 1e-15);
    assertEquals((0.02 + 0.05 + 0 + 0.001) / 4, m.mae(), 1e-15);
    // MAPE skips 0.0005 (below the 1e-3 floor): (0.2 + 0.25 + 0) / 3 in percent
    assertEquals(3, m.mapeCount());
    assertEquals(100 * (0.2 + 0.25 + 0) / 3, m.mape(), 1e-9);
    double smape = 100.0 / 4 * (2 * 0.02 / 0.22 + 2 * 0.05 / 0.35 + 0 + 2 * 0.001 / 0.002);
    assertEquals(smape, m.smape(), 1e-9);
  }

  @Test
  void agreesWithCommonsMathOnRandomSeries() {
    Random r = new Random(7);
    double[] y = new double[500];
    double[] p = new double[500];
    for (int i = 0; i < y.length; i++) {
      y[i] = 0.3 + 0.1 * Math.sin(i / 10.0) + 0.02 * r.nextGaussian();
      p[i] = y[i] + 0.03 * r.nextGaussian();
    }
    PointMetrics m = PointMetrics.of(y, p);
    double[] err = new double[y.length];
    double[] abs = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      err[i] = y[i] - p[i];
      abs[i] = Math.abs(err[i]);
    }
    assertEquals(StatUtils.sumSq(err) / y.length, m.mse(), 1e-12);
    assertEquals(StatUtils.mean(abs), m.mae(), 1e-12);
    double ssTot = new Variance(false).evaluate(y) * y.length;
    assertEquals(1 - StatUtils.sumSq(err) / ssTot, m.r2(), 1e-12);
    assertTrue(m.r2() > 0 && m.r2() < 1);
  }

  @Test
  void perfectForecastScoresZeroErrorAndR2One() {
    double[] y = {1, 2, 3};
    PointMetrics m = PointMetrics.of(y, y.clone());
    assertEquals(0, m.mae());
    assertEquals(1, m.r2());
    assertEquals(0.5, PointMetrics.of(y, new double[] {1.5, 2.5, 3.5}).maeRatio(
        PointMetrics.of(y, new double[] {2, 3, 4})), 1e-12);
  }

  @Test
  void rejectsMismatchedOrEmptyInput() {
    assertThrows(IllegalArgumentException.class,
        () -> PointMetrics.of(new double[] {1}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> PointMetrics.of(new double[0], new double[0]));
  }
}
