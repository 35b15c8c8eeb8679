package io.tracecast.training.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GbtFeaturesTest {
  @Test
  void lagsMostRecentFirstThenMeanAndStdPerChannel() {
    // lookback 3, channels cpu and mem, time-major: t0 = (1, 10), t1 = (2, 20), t2 = (6, 30)
    GbtFeatures f = new GbtFeatures(3, List.of("cpu", "mem"));
    float[] row = f.row(new float[] {1, 10, 2, 20, 6, 30});
    assertEquals(10, f.width());
    assertEquals(List.of("cpu_lag1", "cpu_lag2", "cpu_lag3", "mem_lag1", "mem_lag2", "mem_lag3",
        "cpu_mean", "cpu_std", "mem_mean", "mem_std"), f.names());
    // cpu: mean 3, population variance ((1-3)^2 + (2-3)^2 + (6-3)^2) / 3 = 14/3
    // mem: mean 20, variance (100 + 0 + 100) / 3
    assertArrayEquals(new float[] {6, 2, 1, 30, 20, 10, 3, (float) Math.sqrt(14.0 / 3), 20,
        (float) Math.sqrt(200.0 / 3)}, row, 1e-6f);
    float[] m = f.matrix(List.of(new float[] {1, 10, 2, 20, 6, 30}, new float[6]));
    assertEquals(20, m.length);
    assertArrayEquals(row, java.util.Arrays.copyOf(m, 10));
    assertThrows(IllegalArgumentException.class, () -> f.row(new float[5]));
  }

  @Test
  void stepFeatureRepeatsTheWindowOncePerStepWithTheStepLast() {
    GbtFeatures plain = new GbtFeatures(3, List.of("cpu", "mem"));
    GbtFeatures f = new GbtFeatures(3, List.of("cpu", "mem"), 4);
    float[] w = {1, 10, 2, 20, 6, 30};
    float[] window = plain.row(w);
    assertEquals(11, f.width());
    assertEquals(4, f.rowsPerWindow());
    assertEquals("step", f.names().get(10));
    assertEquals(plain.names(), f.names().subList(0, 10));
    float[][] rows = f.rows(w);
    assertEquals(4, rows.length);
    for (int r = 0; r < 4; r++) {
      assertArrayEquals(window, java.util.Arrays.copyOf(rows[r], 10), "row " + r);
      assertEquals(r + 1, rows[r][10], "row r is step r + 1");
    }
    // window i's row r at matrix row i * 4 + r
    float[] m = f.matrix(List.of(new float[6], w));
    assertEquals(2 * 4 * 11, m.length);
    for (int r = 0; r < 4; r++) {
      assertArrayEquals(rows[r], java.util.Arrays.copyOfRange(m, (4 + r) * 11, (5 + r) * 11));
      assertEquals(r + 1, m[r * 11 + 10]);
    }
    assertThrows(IllegalStateException.class, () -> f.row(w), "a stepped window is 4 rows");
    assertThrows(IllegalArgumentException.class, () -> new GbtFeatures(3, List.of("cpu"), -1));
  }
}
