package io.tracecast.evaluation.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracecast.evaluation.metric.PointMetrics;
import org.junit.jupiter.api.Test;

class BaselinesTest {
  private static final double[] SERIES = {1, 2, 3, 4, 5, 6, 7, 8};

  @Test
  void persistenceForecastsTheLastValue() {
    assertArrayEquals(new double[] {3, 4, 5}, new Persistence().forecast(SERIES, 3, 6));
  }

  @Test
  void seasonalNaiveRepeatsTheValueOneSeasonEarlier() {
    double[] daily = {10, 20, 30, 11, 21, 31, 12, 22};
    assertArrayEquals(new double[] {10, 20, 30, 11, 21}, new SeasonalNaive(3)
        .forecast(daily, 3, 8));
    // on a purely periodic series the seasonal naive forecast is exact
    double[] periodic = {5, 1, 9, 5, 1, 9, 5, 1, 9};
    double[] f = new SeasonalNaive(3).forecast(periodic, 3, 9);
    assertEquals(0, PointMetrics.of(java.util.Arrays.copyOfRange(periodic, 3, 9), f).mae());
  }

  @Test
  void movingAverageAveragesTheLastWindow() {
    assertArrayEquals(new double[] {2, 3, 4}, new MovingAverage(3).forecast(SERIES, 3, 6));
  }

  @Test
  void onALinearTrendPersistenceLagsByOneStepAndTheMovingAverageByMore() {
    PointMetrics persistence = PointMetrics.of(new double[] {4, 5, 6, 7, 8},
        new Persistence().forecast(SERIES, 3, 8));
    PointMetrics average = PointMetrics.of(new double[] {4, 5, 6, 7, 8},
        new MovingAverage(3).forecast(SERIES, 3, 8));
    assertEquals(1.0, persistence.mae(), 1e-15);
    assertEquals(2.0, average.mae(), 1e-15);
  }

  @Test
  void refusesToForecastWithoutEnoughHistory() {
    assertThrows(IllegalArgumentException.class, () -> new SeasonalNaive(288)
        .forecast(SERIES, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> new MovingAverage(0));
  }
}
