package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model space and its inverse on one window computed by hand. */
class WindowScalingTest {
  private static final Scaler CPU = Scaler.fit(Scaler.Kind.MINMAX, 10, 0.1, 0.6, 0.3, 0.1);
  private static final Scaler MEMORY = Scaler.fit(Scaler.Kind.ZSCORE, 10, 0, 9, 2, 4);
  /** Original units, two lookback steps of cpu, memory, hour_sin, cpu_lag_30m; target cpu. */
  private static final double[][] ORIGINAL = {{0.3, 3, 0.25, 0.2}, {0.35, 4, 0.5, 0.4}};
  private static final double TARGET = 0.4;

  static Manifest manifest(String normalisation) {
    Manifest.SeriesEntry series = new Manifest.SeriesEntry("j", "s", 40, 1, null, null, null,
        null, Map.of("train", 1L, "validation", 0L, "test", 0L), Map.of(),
        Map.of("cpu", 0.02, "memory", 0.5));
    return new Manifest(1, "2026-01-01T00:00:00Z", "test", "fp", "1970-01-01T00:00:00Z",
        List.of(), 300, 2, 1, 1, List.of("cpu", "memory", "hour_sin", "cpu_lag_30m"),
        List.of("cpu"), Float32Codec.NAME, Map.of(), 0.7, 0.15, "minmax",
        Map.of("j", Map.of("cpu", CPU, "memory", MEMORY, "hour_sin", Scaler.identity(),
            "cpu_lag_30m", CPU)),
        List.of(series), null, List.of(), Map.of(), Map.of("30m", 6), normalisation, null);
  }

  private static float[] storedInputs() {
    Scaler[] scalers = {CPU, MEMORY, Scaler.identity(), CPU};
    float[] in = new float[8];
    for (int k = 0; k < 2; k++) {
      for (int c = 0; c < 4; c++) {
        in[4 * k + c] = (float) scalers[c].transform(ORIGINAL[k][c]);
      }
    }
    return in;
  }

  private static float[] storedTargets() {
    return new float[] {(float) CPU.transform(TARGET)};
  }

  @Test
  void windowModeIsTheDeltaToTheLastValueInSeriesScaleUnits() {
    WindowScaling w = WindowScaling.of(manifest("window"));
    assertEquals(Normalisation.WINDOW, w.mode());
    WindowScaling.Scaled s = w.apply("j", "s", storedInputs(), storedTargets());
    // cpu (0.3 - 0.35) / 0.02, memory (3 - 4) / 0.5, hour_sin as is, lag (0.2 - 0.35) / 0.02;
    // at the last step the metric channels are 0 and the lag (0.4 - 0.35) / 0.02
    assertArrayEquals(new float[] {-2.5f, -2f, 0.25f, -7.5f, 0f, 0f, 0.5f, 2.5f}, s.inputs(),
        1e-4f);
    assertEquals(0f, s.inputs()[4], 0f, "exactly 0: the anchor is the same number");
    assertArrayEquals(new float[] {2.5f}, s.targets(), 1e-4f);
    assertArrayEquals(new float[] {0.35f}, s.anchor(), 1e-6f);
    assertArrayEquals(new float[] {0.02f}, s.scale(), 0f);
    Manifest.Bounds[] bounds = w.targetBounds();
    assertEquals(TARGET, WindowScaling.toOriginal(s.anchor(), s.scale(), bounds, 0,
        s.targets()[0]), 1e-6);
    // a forecast of 20 steps down would be 0.35 - 0.4 < 0: usage is clipped at 0
    assertEquals(0.0, WindowScaling.toOriginal(s.anchor(), s.scale(), bounds, 0, -20), 0);
  }

  @Test
  void jobModeKeepsTheStoredTensorsAndInvertsTheJobScaler() {
    WindowScaling w = WindowScaling.of(manifest("job"));
    float[] in = storedInputs();
    WindowScaling.Scaled s = w.apply("j", "s", in, storedTargets());
    assertArrayEquals(in, s.inputs(), 0f);
    assertArrayEquals(storedTargets(), s.targets(), 0f);
    assertArrayEquals(new float[] {0.1f}, s.anchor(), 0f);
    assertArrayEquals(new float[] {0.5f}, s.scale(), 0f);
    assertEquals(TARGET, WindowScaling.toOriginal(s.anchor(), s.scale(), w.targetBounds(), 0,
        s.targets()[0]), 1e-6);
    assertEquals(0.0, WindowScaling.toOriginal(s.anchor(), s.scale(), w.targetBounds(), 0, -1),
        0);
  }

  @Test
  void aManifestWithoutTheModeIsJobAndWindowModeNeedsScales() {
    assertEquals(Normalisation.JOB, WindowScaling.of(manifest(null)).mode());
    Manifest noScales = new Manifest(1, "t", "test", "fp", "o", List.of(), 300, 2, 1, 1,
        List.of("cpu"), List.of("cpu"), Float32Codec.NAME, Map.of(), 0.7, 0.15, "minmax",
        Map.of("j", Map.of("cpu", CPU)),
        List.of(new Manifest.SeriesEntry("j", "s", 40, 1, null, null, null, null, Map.of(),
            Map.of())), null, List.of(), Map.of(), Map.of(), "window", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WindowScaling.of(noScales));
    assertTrue(e.getMessage().contains("j/s"), e.getMessage());
  }
}
