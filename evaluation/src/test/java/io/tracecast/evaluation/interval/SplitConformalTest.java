package io.tracecast.evaluation.interval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitConformalTest {

  /**
   * The ranks against their definition, counted rather than computed: the upper offset is the
   * smallest residual with at least (n + 1)(1 - a/2) residuals at or below it; the lower one has
   * exactly floor((n + 1) a/2) residuals at or below it (Gaussian residuals have no ties).
   */
  @Test
  void offsetsAreTheConformalOrderStatistics() {
    Random rnd = new Random(5);
    for (int n : new int[] {9, 19, 20, 37, 99, 100, 250}) {
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = rnd.nextGaussian();
      }
      for (double level : new double[] {0.8, 0.9}) {
        double[] o = SplitConformal.offsets(r, level);
        if (level == 0.9 && n < 19) {
          assertNull(o, n + " residuals");
          continue;
        }
        double tail = (1 - level) / 2;
        long below = Arrays.stream(r).filter(x -> x <= o[1]).count();
        long belowNext = Arrays.stream(r).filter(x -> x < o[1]).count();
        assertTrue(below >= (n + 1) * (1 - tail) - 1e-9, "upper rank reached");
        assertTrue(belowNext < (n + 1) * (1 - tail) - 1e-9, "and no smaller residual reaches it");
        long atOrBelowLower = Arrays.stream(r).filter(x -> x <= o[0]).count();
        assertEquals((long) Math.floor((n + 1) * tail + 1e-9), atOrBelowLower, "lower rank");
        assertTrue(o[0] <= o[1]);
      }
    }
    // hand example: n = 9 at 80 %: ranks floor(10 * 0.1) = 1 and ceil(10 * 0.9) = 9
    assertArrayEquals(new double[] {-3, 8}, SplitConformal.offsets(
        new double[] {5, -3, 2, 8, 0, 1, 1, Double.NaN, 4, 3}, 0.8), 0);
  }

  @Test
  void tooFewResidualsGiveNoInterval() {
    assertEquals(9, SplitConformal.minResiduals(0.8));
    assertEquals(19, SplitConformal.minResiduals(0.9));
    assertNull(SplitConformal.offsets(new double[8], 0.8));
    assertNull(SplitConformal.offsets(new double[] {Double.NaN, 1, 2}, 0.5));
    assertThrows(IllegalArgumentException.class, () -> SplitConformal.offsets(new double[9], 1));
  }

  /**
   * On exchangeable residuals (i.i.d. and skewed: a shifted exponential, as usage spikes are),
   * the interval from n calibration residuals covers a fresh point with probability in
   * [level, level + 2/(n + 1)]: estimated over 4,000 independent calibrations, the empirical
   * coverage must fall within 4 binomial standard errors of that band, and each tail must miss
   * about equally (the interval is two-sided, not symmetric).
   */
  @Test
  void reachesNominalCoverageOnExchangeableResiduals() {
    Random rnd = new Random(11);
    int n = 99;
    int trials = 4_000;
    for (double level : new double[] {0.8, 0.9}) {
      int covered = 0;
      int above = 0;
      for (int k = 0; k < trials; k++) {
        double[] cal = new double[n];
        for (int i = 0; i < n; i++) {
          cal[i] = -Math.log(1 - rnd.nextDouble()) - 1;
        }
        double[] o = SplitConformal.offsets(cal, level);
        double x = -Math.log(1 - rnd.nextDouble()) - 1;
        covered += x >= o[0] && x <= o[1] ? 1 : 0;
        above += x > o[1] ? 1 : 0;
      }
      double coverage = covered / (double) trials;
      double se = Math.sqrt(level * (1 - level) / trials);
      assertTrue(coverage >= level - 4 * se && coverage <= level + 2.0 / (n + 1) + 4 * se,
          level + ": coverage " + coverage);
      double upperMiss = above / (double) trials;
      double tail = (1 - level) / 2;
      assertEquals(tail, upperMiss, 4 * Math.sqrt(tail * (1 - tail) / trials) + 1.0 / (n + 1),
          level + ": upper tail " + upperMiss);
    }
  }
}
