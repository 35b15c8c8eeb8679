package io.tracecast.etl.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.dataset.BacktestFold;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.source.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The backtest folds with refitting: fold k's test windows are one K-th of the normal test split,
 * the K folds tile it, and nothing a fold trains or validates on reaches its test window. The
 * expected fold of a test point is floor(offset K / T), the rule {@code evaluation/scoring/Folds}
 * applies to target times, not the cut's own ceil arithmetic.
 */
class BacktestFoldCutTest {
  private static final long STEP = 300_000_000L;
  private static final Map<String, Scaler> SCALERS =
      Map.of("cpu", Scaler.fit(Scaler.Kind.MINMAX, 14, 0, 10, 5, 3));

  /** n points in one segment; cpu[i] = i, so a window's last input recovers its end index. */
  private static CleanedSeries series(int n) {
    long[] ts = new long[n];
    double[][] v = new double[2][n];
    for (int i = 0; i < n; i++) {
      ts[i] = i * STEP;
      v[0][i] = i;
      v[1][i] = 100 + i;
    }
    return new CleanedSeries("job", "s", STEP, ts, v, new int[n], new boolean[n],
        new CleaningStats(n, 0, 0, 0, n, 0, 0, 0, 0, 0, 1));
  }

  private static SlidingWindows windows(int horizon, Optional<BacktestFold> fold) {
    return new SlidingWindows(new WindowSpec(3, horizon, 1, List.of("cpu"), List.of("cpu")),
        List.of(Metric.CPU, Metric.MEMORY), 0.70, 0.15, fold);
  }

  /** (split, end index) of every window of the cut. */
  private static List<int[]> collect(SlidingWindows w, SlidingWindows.Cut cut) {
    List<int[]> out = new ArrayList<>();
    w.forEach(cut.series(), cut.plan(), SCALERS, (split, segment, end, in, target) -> out.add(
        new int[] {split.ordinal(), Math.round(in[in.length - 1] * 10)}));
    return out;
  }

  @Test
  void foldTestWindowsTileTheNormalTestSplitWithoutOverlap() {
    for (int n : new int[] {100, 97, 1000}) {
      for (int k : new int[] {1, 2, 3, 4, 7}) {
        // horizon 1: every test point is the target of exactly one normal test window
        SlidingWindows normal = windows(1, Optional.empty());
        SlidingWindows.Cut whole = normal.cut(series(n));
        int validationEnd = (int) Math.floor(n * 0.85 + 1e-9);
        int t = n - validationEnd;
        assertEquals(validationEnd, whole.plan().validationEnd());
        TreeSet<Integer> normalTargets = new TreeSet<>();
        collect(normal, whole).stream().filter(x -> x[0] == Split.TEST.ordinal())
            .forEach(x -> normalTargets.add(x[1] + 1));
        assertEquals(t, normalTargets.size(), "n " + n);

        TreeSet<Integer> covered = new TreeSet<>();
        for (int fold = 0; fold < k; fold++) {
          SlidingWindows w = windows(1, Optional.of(new BacktestFold(fold, k)));
          SlidingWindows.Cut cut = w.cut(series(n));
          for (int[] x : collect(w, cut)) {
            if (x[0] != Split.TEST.ordinal()) {
              continue;
            }
            int target = x[1] + 1;
            assertEquals(fold, (int) ((long) (target - validationEnd) * k / t),
                "n " + n + ", fold " + fold + "/" + k + ": target " + target + " of another fold");
            assertTrue(covered.add(target), "target " + target + " in two folds");
          }
        }
        assertEquals(normalTargets, covered, "n " + n + ", K " + k + ": no gap, no extra");
      }
    }
  }

  @Test
  void foldTrainsAndValidatesOnlyBeforeItsTestWindow() {
    int n = 1000;
    int horizon = 4;
    int trainEnd = 700;
    int validationEnd = 850;
    int t = n - validationEnd;
    int k = 3;
    for (int fold = 0; fold < k; fold++) {
      SlidingWindows w = windows(horizon, Optional.of(new BacktestFold(fold, k)));
      SlidingWindows.Cut cut = w.cut(series(n));
      // first and one-past-last test point of the fold, from the floor rule
      int testStart = validationEnd;
      while ((long) (testStart - validationEnd) * k / t < fold) {
        testStart++;
      }
      int testEnd = testStart;
      while (testEnd < n && (long) (testEnd - validationEnd) * k / t == fold) {
        testEnd++;
      }
      int shift = testStart - validationEnd;
      assertEquals(trainEnd + shift, cut.plan().trainEnd(), "train expands by the shift");
      assertEquals(testStart, cut.plan().validationEnd(), "validation keeps its 150 points");
      assertEquals(testEnd, cut.series().size(), "the data ends with the test window");
      long[] counts = new long[3];
      for (int[] x : collect(w, cut)) {
        counts[x[0]]++;
        int firstTarget = x[1] + 1;
        int lastTarget = x[1] + horizon;
        if (x[0] == Split.TEST.ordinal()) {
          assertTrue(firstTarget >= testStart && lastTarget < testEnd, "test window " + x[1]);
        } else {
          assertTrue(lastTarget < testStart, "fold " + fold + ": a " + Split.values()[x[0]]
              + " window's target " + lastTarget + " reaches the test window at " + testStart);
        }
        if (x[0] == Split.VALIDATION.ordinal()) {
          assertTrue(firstTarget >= trainEnd + shift, "validation after train");
        }
      }
      // windows of horizon 4 ending inside a split: points - horizon + 1 (lookback 3 is not
      // binding past the first split)
      assertEquals(150 - horizon + 1, counts[Split.VALIDATION.ordinal()], "fold " + fold);
      assertEquals(testEnd - testStart - horizon + 1, counts[Split.TEST.ordinal()]);
      assertEquals(trainEnd + shift - 3 - horizon + 1, counts[Split.TRAIN.ordinal()]);
    }
  }

  @Test
  void parsesAndValidatesTheFold() {
    assertEquals(new BacktestFold(2, 5), BacktestFold.parse(" 2/5"));
    assertEquals("2/5", new BacktestFold(2, 5).label());
    for (String bad : new String[] {"5/5", "-1/3", "1/0", "a/b", "3", "1/2/3"}) {
      assertThrows(IllegalArgumentException.class, () -> BacktestFold.parse(bad), bad);
    }
    assertEquals(Optional.of(new BacktestFold(1, 3)),
        BacktestFold.of(Map.of(BacktestFold.SETTING, "1/3")));
    assertEquals(Optional.empty(), BacktestFold.of(Map.of()));
  }
}
