package io.tracecast.evaluation.interval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OnlineConformalTest {
  private static final double[] LEVELS = {0.8, 0.9};

  /** Gaussian residuals whose scale alternates 1 / 5 in blocks of 250: volatility in bursts. */
  private static double[] bursts(int n, long seed) {
    Random rnd = new Random(seed);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = ((i / 250) % 2 == 0 ? 1 : 5) * rnd.nextGaussian();
    }
    return r;
  }

  /** Issues a band, then observes its residual, for each point; the share of points covered. */
  private static double[] coverage(OnlineConformal state, double[] r, int from) {
    double[] covered = new double[LEVELS.length];
    int n = 0;
    for (int i = 0; i < r.length; i++) {
      double[] o = state.offsets();
      if (i >= from) {
        n++;
        for (int l = 0; l < LEVELS.length; l++) {
          covered[l] += r[i] >= o[2 * l] && r[i] <= o[2 * l + 1] ? 1 : 0;
        }
      }
      state.observe(r[i], o);
    }
    for (int l = 0; l < LEVELS.length; l++) {
      covered[l] /= n;
    }
    return covered;
  }

  @Test
  void withoutAdaptationTheBandsAreTheWindowsConformalRanks() {
    double[] r = bursts(1000, 1);
    OnlineConformal state = new OnlineConformal(LEVELS, 50, 0);
    RollingResiduals window = new RollingResiduals(50);
    for (int i = 0; i < r.length; i++) {
      double[] o = state.offsets();
      if (i >= 50) {
        double[] expected = {window.offsets(0.8)[0], window.offsets(0.8)[1],
            window.offsets(0.9)[0], window.offsets(0.9)[1]};
        assertArrayEquals(expected, o, 0.0);
      }
      state.observe(r[i], o);
      window.add(r[i]);
    }
    assertEquals(0.2, state.alpha(0), 1e-12);
  }

  /**
   * Where volatility comes in bursts, the window trails each change and the plain rolling band
   * under-covers; ACI's running level corrects for its own misses. Gibbs and Candès (2021,
   * Prop. 4.1) bound the long-run miscoverage error for any sequence by (max(a, 1 - a) +
   * gamma) / (gamma T): 0.9 / (0.01 x 20000) = 0.0045 at 80 % here.
   */
  @Test
  void adaptiveLevelsReachNominalCoverageWhereTheRollingWindowTrailsBursts() {
    double[] r = bursts(20_200, 7);
    double[] plain = coverage(new OnlineConformal(LEVELS, 200, 0), r, 200);
    double[] aci = coverage(new OnlineConformal(LEVELS, 200, 0.01), r, 200);
    assertTrue(plain[0] < 0.77, "plain rolling 80 %: " + plain[0]);
    assertTrue(plain[1] < 0.88, "plain rolling 90 %: " + plain[1]);
    assertEquals(0.8, aci[0], (0.8 + 0.01) / (0.01 * 20_000), "ACI 80 %");
    assertEquals(0.9, aci[1], (0.9 + 0.01) / (0.01 * 20_000), "ACI 90 %");
  }
}
