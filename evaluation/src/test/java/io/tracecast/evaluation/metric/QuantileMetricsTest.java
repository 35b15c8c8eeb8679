package io.tracecast.evaluation.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantileMetricsTest {
  private static final double[] LEVELS = {0.1, 0.5, 0.9};

  @Test
  void pinballPenalisesUnderAndOverForecastsAsymmetrically() {
    // under-forecast by 1 at tau 0.9 costs 0.9; over-forecast by 1 costs 0.1
    assertEquals(0.9, QuantileMetrics.pinball(0.9, 2.0, 1.0), 1e-15);
    assertEquals(0.1, QuantileMetrics.pinball(0.9, 1.0, 2.0), 1e-15);
    assertEquals(0.5, QuantileMetrics.pinball(0.5, 1.0, 2.0), 1e-15);
    assertEquals(0.0, QuantileMetrics.pinball(0.1, 3.0, 3.0));
  }

  @Test
  void coverageWidthAndPinballOnAHandWorkedCase() {
    double[] y = {1.0, 2.0, 5.0, 0.0};
    double[][] q = {{0.5, 1.0, 1.5}, {1.0, 2.5, 3.0}, {2.0, 3.0, 4.0}, {0.5, 1.0, 2.0}};
    QuantileMetrics m = QuantileMetrics.of(LEVELS, y, q);
    // covered: 1.0 in [0.5,1.5], 2.0 in [1,3]; 5.0 above 4; 0.0 below 0.5
    assertEquals(0.5, m.coverage(), 1e-15);
    assertEquals((1.0 + 2.0 + 2.0 + 1.5) / 4, m.meanWidth(), 1e-15);
    double p10 = (0.1 * 0.5 + 0.1 * 1.0 + 0.1 * 3.0 + 0.9 * 0.5) / 4;
    double p50 = (0 + 0.5 * 0.5 + 0.5 * 2.0 + 0.5 * 1.0) / 4;
    double p90 = (0.1 * 0.5 + 0.1 * 1.0 + 0.9 * 1.0 + 0.1 * 2.0) / 4;
    assertArrayEquals(new double[] {p10, p50, p90}, m.pinball(), 1e-12);
  }

  @Test
  void rejectsUnorderedLevelsAndMissingRows() {
    assertThrows(IllegalArgumentException.class,
        () -> QuantileMetrics.of(new double[] {0.9, 0.1}, new double[] {1}, new double[][] {{1, 2}}));
    assertThrows(IllegalArgumentException.class,
        () -> QuantileMetrics.of(LEVELS, new double[] {1, 2}, new double[][] {{1, 2, 3}}));
  }
}
