package io.tracecast.etl.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.source.Metric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesScalesTest {
  private static final List<Metric> METRICS = List.of(Metric.CPU, Metric.MEMORY, Metric.NET_IN);

  private static CleanedSeries series(int[] segment, double[]... values) {
    long[] ts = new long[segment.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 300_000_000L;
    }
    return new CleanedSeries("j", "s", 300_000_000L, ts, values, segment,
        new boolean[segment.length], CleaningStats.ZERO);
  }

  @Test
  void isTheMeanAbsoluteTrainStepWithinSegments() {
    // cpu: steps |2|, |-1| in segment 0, none across the segment boundary, |3| in segment 1;
    // point 5 is test and ignored: (2 + 1 + 3) / 3 = 2
    CleanedSeries s = series(new int[] {0, 0, 0, 1, 1, 1},
        new double[] {1, 3, 2, 10, 13, 100},
        // memory constant within segments but not overall: falls back to the population std
        // of the train points {4, 4, 4, 6, 6} = sqrt(0.96)
        new double[] {4, 4, 4, 6, 6, 6},
        // net_in constant on train: the floor
        new double[] {7, 7, 7, 7, 7, 1});
    Map<String, Double> scales = new SeriesScales(List.of("cpu", "memory", "net_in"), METRICS)
        .of(s, 5);
    assertEquals(2.0, scales.get("cpu"), 1e-12);
    assertEquals(Math.sqrt(0.96), scales.get("memory"), 1e-12);
    assertEquals(SeriesScales.FLOOR, scales.get("net_in"));
  }

  @Test
  void skipsMissingValuesAndFloorsASeriesWithoutTrainPoints() {
    CleanedSeries s = series(new int[] {0, 0, 0, 0},
        new double[] {1, Double.NaN, 4, 6}, new double[] {1, 2, 3, 4}, new double[4]);
    Map<String, Double> scales = new SeriesScales(List.of("cpu", "memory"), METRICS).of(s, 4);
    assertEquals(2.0, scales.get("cpu"), 1e-12, "only the pair (4, 6) is consecutive");
    assertEquals(SeriesScales.FLOOR,
        new SeriesScales(List.of("cpu"), METRICS).of(s, 0).get("cpu"));
  }
}
