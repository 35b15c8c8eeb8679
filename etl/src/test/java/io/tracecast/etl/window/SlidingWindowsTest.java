package io.tracecast.etl.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.SeasonalLag;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.source.Metric;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlidingWindowsTest {
  private static final long STEP = 300_000_000L;
  /** 2019-05-06T13:00:00Z. */
  private static final long BASE = Instant.parse("2019-05-06T13:00:00Z").toEpochMilli() * 1000;
  private static final List<Metric> METRICS = List.of(Metric.CPU, Metric.MEMORY);
  /** cpu: min-max over [0, 10]; memory: z-score with mean 5 and std 2. */
  private static final Map<String, Scaler> SCALERS = Map.of(
      "cpu", Scaler.fit(Scaler.Kind.MINMAX, 14, 0, 10, 5, 3),
      "memory", Scaler.fit(Scaler.Kind.ZSCORE, 14, 0, 200, 5, 2));

  /** n points, one step apart except at segment starts; cpu[i] = i, memory[i] = 100 + i. */
  private static CleanedSeries series(int n, int... segmentStarts) {
    long[] ts = new long[n];
    int[] segment = new int[n];
    double[][] v = new double[2][n];
    int seg = 0;
    for (int i = 0; i < n; i++) {
      for (int s : segmentStarts) {
        if (s == i) {
          seg++;
        }
      }
      // a long gap of 10 steps before every new segment
      ts[i] = BASE + (i + 10L * seg) * STEP;
      segment[i] = seg;
      v[0][i] = i;
      v[1][i] = 100 + i;
    }
    return new CleanedSeries("job", "s", STEP, ts, v, segment, new boolean[n],
        new CleaningStats(n, 0, 0, 0, n, 0, 0, segmentStarts.length, 10L * segmentStarts.length,
            0, seg + 1));
  }

  private static SlidingWindows windows(int lookback, int horizon, int stride, double train,
      double validation, List<String> features, List<String> targets) {
    return new SlidingWindows(new WindowSpec(lookback, horizon, stride, features, targets),
        METRICS, train, validation);
  }

  private static SlidingWindows cpuOnly(int lookback, int horizon, int stride, double train,
      double validation) {
    return windows(lookback, horizon, stride, train, validation, List.of("cpu"), List.of("cpu"));
  }

  private record Window(Split split, int segment, long endMicros, float[] inputs,
      float[] targets) {
    /** Index of the last input step, recovered from cpu[i] = i through the min-max scaler. */
    int end() {
      return Math.round(inputs[inputs.length - 1] * 10);
    }
  }

  private static List<Window> collect(SlidingWindows w, CleanedSeries s) {
    List<Window> out = new ArrayList<>();
    w.forEach(s, w.plan(s), SCALERS,
        (split, segment, end, in, target) -> out.add(new Window(split, segment, end, in, target)));
    return out;
  }

  private static long[] countBySplit(List<Window> windows) {
    long[] counts = new long[3];
    windows.forEach(w -> counts[w.split().ordinal()]++);
    return counts;
  }

  @Test
  void splitsSeventyFifteenFifteenByPointCount() {
    SlidingWindows.SeriesPlan plan = cpuOnly(3, 1, 1, 0.70, 0.15).plan(series(20));
    assertEquals(14, plan.trainEnd());
    assertEquals(17, plan.validationEnd());
    assertEquals(Split.TRAIN, SlidingWindows.splitOf(13, 14, 17));
    assertEquals(Split.VALIDATION, SlidingWindows.splitOf(14, 14, 17));
    assertEquals(Split.VALIDATION, SlidingWindows.splitOf(16, 14, 17));
    assertEquals(Split.TEST, SlidingWindows.splitOf(17, 14, 17));
  }

  @Test
  void splitsEightyTwentyWithoutValidation() {
    SlidingWindows.SeriesPlan plan = cpuOnly(3, 1, 1, 0.80, 0.0).plan(series(20));
    assertEquals(16, plan.trainEnd());
    assertEquals(16, plan.validationEnd());
    // lookback 3, horizon 1: targets 3..15 are train, 16..19 test
    assertArrayEquals(new long[] {13, 0, 4}, plan.windows());
    assertEquals(0, plan.windowsStraddlingSplits());
  }

  @Test
  void splitsAtTheExactShareWhereFloatingPointUndershoots() {
    // 90 * 0.7 is 62.99999999999999 in double arithmetic; 70 % of 90 points is 63
    SlidingWindows.SeriesPlan plan = cpuOnly(3, 1, 1, 0.70, 0.15).plan(series(90));
    assertEquals(63, plan.trainEnd());
    assertEquals(76, plan.validationEnd(), "floor(90 * 0.85) = floor(76.5)");
    SlidingWindows.SeriesPlan wholeSeries = cpuOnly(3, 1, 1, 0.70, 0.30).plan(series(90));
    assertEquals(90, wholeSeries.validationEnd(), "train + validation = 1 leaves no test");
  }

  @Test
  void countsWindowsPerSplitAsCountedByHand() {
    // lookback 3, horizon 1 on 20 points: 17 windows with ends 2..18 and targets 3..19;
    // targets 3..13 train (11), 14..16 validation (3), 17..19 test (3)
    SlidingWindows w = cpuOnly(3, 1, 1, 0.70, 0.15);
    CleanedSeries s = series(20);
    SlidingWindows.SeriesPlan plan = w.plan(s);
    assertArrayEquals(new long[] {11, 3, 3}, plan.windows());
    assertEquals(0, plan.windowsStraddlingSplits());
    List<Window> windows = collect(w, s);
    assertArrayEquals(plan.windows(), countBySplit(windows), "plan and windows agree");
    assertEquals(2, windows.get(0).end());
    assertEquals(18, windows.get(windows.size() - 1).end());
  }

  @Test
  void dropsWindowsWhoseTargetsStraddleTwoSplits() {
    // horizon 2 on 20 points (train ends at 14, validation at 17): ends 2..17;
    // targets (13, 14) at end 12 and (16, 17) at end 15 straddle; ends 2..11 train (10),
    // 13..14 validation (2), 16..17 test (2)
    SlidingWindows w = cpuOnly(3, 2, 1, 0.70, 0.15);
    CleanedSeries s = series(20);
    SlidingWindows.SeriesPlan plan = w.plan(s);
    assertArrayEquals(new long[] {10, 2, 2}, plan.windows());
    assertEquals(2, plan.windowsStraddlingSplits());
    List<Window> windows = collect(w, s);
    assertArrayEquals(plan.windows(), countBySplit(windows));
    for (Window win : windows) {
      assertTrue(win.end() != 12 && win.end() != 15, "straddling window kept: " + win.end());
      Split first = SlidingWindows.splitOf(win.end() + 1, plan.trainEnd(), plan.validationEnd());
      Split last = SlidingWindows.splitOf(win.end() + 2, plan.trainEnd(), plan.validationEnd());
      assertEquals(first, last);
      assertEquals(first, win.split(), "a window belongs to the split of its targets");
    }

    // 80/20: targets (15, 16) at end 14 straddle train and test
    SlidingWindows.SeriesPlan eighty = cpuOnly(3, 2, 1, 0.80, 0).plan(s);
    assertArrayEquals(new long[] {12, 0, 3}, eighty.windows());
    assertEquals(1, eighty.windowsStraddlingSplits());
  }

  @Test
  void buildsTimeMajorInputsAndStepMajorTargetsFromScaledValues() {
    List<String> features = List.of("cpu", "memory", "hour_sin");
    SlidingWindows w = windows(3, 2, 1, 0.70, 0.15, features, List.of("cpu", "memory"));
    CleanedSeries s = series(20);
    List<Window> windows = collect(w, s);
    assertEquals(3 * 3, w.spec().inputLength());
    assertEquals(2 * 2, w.spec().targetLength());
    for (Window win : windows) {
      int end = Math.round(win.inputs()[6] * 10); // cpu of the last input step
      assertEquals(s.timestampsMicros()[end], win.endMicros());
      float[] expectedInputs = new float[9];
      for (int k = 0; k < 3; k++) {
        int t = end - 2 + k;
        ZonedDateTime z = Instant.ofEpochMilli(s.timestampsMicros()[t] / 1000)
            .atZone(ZoneOffset.UTC);
        double hour = z.getHour() + z.getMinute() / 60.0;
        expectedInputs[3 * k] = (float) (t / 10.0);
        expectedInputs[3 * k + 1] = (float) ((100 + t - 5) / 2.0);
        expectedInputs[3 * k + 2] = (float) Math.sin(2 * Math.PI * hour / 24);
      }
      assertArrayEquals(expectedInputs, win.inputs(), 1e-6f, "inputs of window ending " + end);
      float[] expectedTargets = {
          (float) ((end + 1) / 10.0), (float) ((100 + end + 1 - 5) / 2.0),
          (float) ((end + 2) / 10.0), (float) ((100 + end + 2 - 5) / 2.0)};
      assertArrayEquals(expectedTargets, win.targets(), 1e-6f, "targets of window ending " + end);
    }
    // the first window by hand: steps 13:00, 13:05, 13:10
    Window first = windows.get(0);
    assertArrayEquals(new float[] {
            0f, 47.5f, (float) Math.sin(2 * Math.PI * 13.0 / 24),
            0.1f, 48f, (float) Math.sin(2 * Math.PI * (13 + 5 / 60.0) / 24),
            0.2f, 48.5f, (float) Math.sin(2 * Math.PI * (13 + 10 / 60.0) / 24)},
        first.inputs(), 1e-6f);
    assertArrayEquals(new float[] {0.3f, 49f, 0.4f, 49.5f}, first.targets(), 1e-6f);
  }

  @Test
  void neverBuildsAWindowAcrossSegments() {
    // segments [0, 10) and [10, 20): lookback 3, horizon 1 gives ends 2..8 and 12..18, 7 each;
    // with train ending at 14 and validation at 17: seg 0 all train (7); seg 1 targets 13 train,
    // 14..16 validation, 17..19 test
    SlidingWindows w = cpuOnly(3, 1, 1, 0.70, 0.15);
    CleanedSeries s = series(20, 10);
    SlidingWindows.SeriesPlan plan = w.plan(s);
    assertArrayEquals(new long[] {8, 3, 3}, plan.windows());
    List<Window> windows = collect(w, s);
    assertEquals(14, windows.size());
    for (Window win : windows) {
      int end = win.end();
      int segment = s.segment()[end];
      assertEquals(segment, win.segment());
      for (int t = end - 2; t <= end + 1; t++) {
        assertEquals(segment, s.segment()[t], "window ending " + end + " crosses a segment");
      }
    }
    // a segment shorter than lookback + horizon gives no window at all
    assertArrayEquals(new long[] {0, 0, 0}, cpuOnly(3, 1, 1, 0.7, 0.15)
        .plan(series(9, 3, 6)).windows());
  }

  @Test
  void startsAWindowEveryStrideStepsFromEachSegmentStart() {
    // stride 2 on 20 points: ends 2, 4, ..., 18 (9 windows); targets 3..13 train (6),
    // 15 validation (1), 17 and 19 test (2)
    SlidingWindows w = cpuOnly(3, 1, 2, 0.70, 0.15);
    CleanedSeries s = series(20);
    assertArrayEquals(new long[] {6, 1, 2}, w.plan(s).windows());
    assertEquals(List.of(2, 4, 6, 8, 10, 12, 14, 16, 18),
        collect(w, s).stream().map(Window::end).toList());
    // with segments [0, 11) and [11, 20) the stride restarts at 11: ends 2..8 and 13, 15, 17
    CleanedSeries two = series(20, 11);
    assertEquals(List.of(2, 4, 6, 8, 13, 15, 17),
        collect(w, two).stream().map(Window::end).toList());
  }

  /**
   * A 30-minute lag (6 steps) at horizon 1 reads 4 steps back from each lookback step, by time:
   * segment 1 starts after a 10-step gap, so its first lookback steps look into the gap (and
   * get the fill, the window's last cpu), where an index would wrongly reach segment 0.
   */
  @Test
  void appendsSeasonalLagChannelsLookedUpByTimestampWithTheLastValueAsFill() {
    SeasonalLag lag = new SeasonalLag("30m", 6);
    SlidingWindows w = new SlidingWindows(new WindowSpec(3, 1, 1, List.of("cpu"),
        List.of("cpu"), List.of(lag)), METRICS, 0.70, 0.15);
    assertEquals(List.of("cpu", "cpu_lag_30m"), w.spec().inputFeatures());
    CleanedSeries s = series(20, 10);
    long[] ts = s.timestampsMicros();
    List<Window> windows = collect(w, s);
    long[] expectedFills = new long[3];
    for (Window win : windows) {
      int end = Math.round(win.inputs()[win.inputs().length - 2] * 10);
      boolean filled = false;
      for (int k = 0; k < 3; k++) {
        int p = end - 2 + k;
        long at = ts[p] + (1 + 1 - 6) * STEP;
        int source = -1;
        for (int q = 0; q < ts.length; q++) {
          source = ts[q] == at ? q : source;
        }
        filled |= source < 0;
        double expected = source < 0 ? end : source; // cpu[i] = i
        assertEquals(expected / 10, win.inputs()[2 * k + 1], 1e-6,
            "lag at step " + k + " of window ending " + end);
      }
      if (filled) {
        expectedFills[win.split().ordinal()]++;
      }
    }
    // segment 0: ends 2..5 reach before the series (4 train windows); segment 1 (points 10..19
    // at times 20..29): ends 12..15 reach into the gap (times 10..19) from their first step:
    // targets 13 (train), 14..16 (validation)
    assertArrayEquals(new long[] {5, 3, 0}, expectedFills);
    assertArrayEquals(new long[][] {expectedFills}, w.plan(s).windowsWithoutSeasonalHistory());
  }

  /** The first {@code n} points of {@code s}: the series as it was when point n - 1 was last. */
  private static CleanedSeries cut(CleanedSeries s, int n) {
    double[][] v = new double[s.values().length][];
    for (int m = 0; m < v.length; m++) {
      v[m] = java.util.Arrays.copyOf(s.values()[m], n);
    }
    return new CleanedSeries(s.jobId(), s.seriesId(), s.stepMicros(),
        java.util.Arrays.copyOf(s.timestampsMicros(), n), v, java.util.Arrays.copyOf(s.segment(), n),
        java.util.Arrays.copyOf(s.interpolated(), n), s.stats());
  }

  /**
   * The window ending at a series' last point is the ETL's window at that end, bit for bit, with
   * every channel (metrics, calendar, a seasonal lag that reaches into a gap): cut the series
   * just after each window the ETL wrote and the latest window of the cut equals it.
   */
  @Test
  void theLatestWindowEqualsTheEtlWindowAtThatEndWhenTheDataContinues() {
    SlidingWindows w = new SlidingWindows(new WindowSpec(3, 2, 1,
        List.of("cpu", "memory", "hour_sin", "dow_cos"), List.of("cpu", "memory"),
        List.of(new SeasonalLag("30m", 6))), METRICS, 0.70, 0.15);
    CleanedSeries s = series(30, 12);
    List<Window> written = new ArrayList<>();
    w.forEach(s, w.plan(s), SCALERS,
        (split, segment, end, in, target) -> written.add(new Window(split, segment, end, in, target)));
    assertTrue(written.size() > 10, "windows in both segments: " + written.size());
    long[] ts = s.timestampsMicros();
    for (Window win : written) {
      int end = java.util.Arrays.binarySearch(ts, win.endMicros());
      SlidingWindows.LatestWindow latest = w.latest(cut(s, end + 1), SCALERS).orElseThrow();
      assertEquals(win.endMicros(), latest.endMicros());
      assertEquals(win.segment(), latest.segment());
      assertArrayEquals(win.inputs(), latest.inputs(), "window ending at point " + end);
    }
    // the whole series' latest window ends at its last point, where the ETL writes none
    SlidingWindows.LatestWindow last = w.latest(s, SCALERS).orElseThrow();
    assertEquals(ts[29], last.endMicros());
    assertEquals(1, last.segment());
    assertEquals(w.spec().inputLength(), last.inputs().length);
  }

  @Test
  void hasNoLatestWindowWhenTheLastSegmentIsShorterThanTheLookbackOrLacksAMetric() {
    SlidingWindows w = windows(3, 1, 1, 0.70, 0.15, List.of("cpu", "memory"), List.of("cpu"));
    assertTrue(w.latest(series(20, 18), SCALERS).isEmpty(), "2 points after the last gap");
    assertTrue(w.latest(series(20, 17), SCALERS).isPresent(), "3 points after the last gap");
    CleanedSeries s = series(20, 10);
    for (int i = 10; i < 20; i++) {
      s.values()[1][i] = Double.NaN;
    }
    assertTrue(w.latest(s, SCALERS).isEmpty(), "memory absent from the last segment");
  }

  @Test
  void dropsWindowsOfASegmentThatLacksAFeatureMetric() {
    CleanedSeries s = series(20, 10);
    for (int i = 10; i < 20; i++) {
      s.values()[1][i] = Double.NaN; // memory absent from segment 1
    }
    SlidingWindows w = windows(3, 1, 1, 0.70, 0.15, List.of("cpu", "memory"), List.of("cpu"));
    SlidingWindows.SeriesPlan plan = w.plan(s);
    assertArrayEquals(new long[] {7, 0, 0}, plan.windows());
    assertEquals(7, plan.windowsLackingAMetric());
    assertEquals(7, collect(w, s).size());
  }

  @Test
  void rejectsAFeatureTheSourceDoesNotProvideAndBadFractions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> windows(3, 1, 1, 0.7, 0.15, List.of("net_in"), List.of("cpu")));
    assertTrue(e.getMessage().contains("net_in"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> cpuOnly(3, 1, 1, 0, 0.15));
    assertThrows(IllegalArgumentException.class, () -> cpuOnly(3, 1, 1, 0.9, 0.2));
    assertThrows(IllegalArgumentException.class,
        () -> new WindowSpec(0, 1, 1, List.of("cpu"), List.of("cpu")));
  }
}
