package io.tracecast.training.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.junit.jupiter.api.Test;

class PatternSignatureTest {
  private static final long STEP = SyntheticPatterns.STEP_SECONDS;

  private static PatternSignature sign(double[] v) {
    return PatternSignature.ofValues(v, SyntheticPatterns.times(v.length), STEP);
  }

  @Test
  void lagOneAutocorrelationOfAnAr1SeriesIsItsCoefficient() {
    double phi = 0.7;
    Random rnd = new Random(11);
    double[] x = new double[20_000];
    x[0] = 5;
    for (int i = 1; i < x.length; i++) {
      x[i] = 5 + phi * (x[i - 1] - 5) + rnd.nextGaussian();
    }
    PatternSignature s = sign(x);
    assertEquals(phi, s.acfLag1(), 0.05, "the AR(1) coefficient");
    double pearson = new PearsonsCorrelation().correlation(Arrays.copyOf(x, x.length - 1),
        Arrays.copyOfRange(x, 1, x.length));
    assertEquals(pearson, s.acfLag1(), 0.005, "the lag-1 Pearson correlation");
    // An AR(1)'s autocorrelation at lag L is phi^L: nothing left at one day (288 steps).
    assertEquals(0, s.acfDay(), 0.05);
    assertEquals(new StandardDeviation(false).evaluate(x) / new Mean().evaluate(x), s.cv(),
        1e-9);
    assertEquals(new Mean().evaluate(x), s.level(), 1e-9);
  }

  @Test
  void dailySinusoidRepeatsAfterADayAndItsProfileIsTheSine() {
    int days = 3;
    double[] x = new double[days * SyntheticPatterns.STEPS_PER_DAY];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 + Math.sin(2 * Math.PI * i / SyntheticPatterns.STEPS_PER_DAY);
    }
    PatternSignature s = sign(x);
    assertEquals(1, s.acfDay(), 1e-9, "a pure daily cycle repeats exactly");
    // Lag 1 of a sine sampled 288 times per cycle: cos(2 pi / 288).
    assertEquals(Math.cos(2 * Math.PI / SyntheticPatterns.STEPS_PER_DAY), s.acfLag1(), 1e-3);
    // The mean of sin over hour h (continuous approximation) over the sine's std 1/sqrt(2).
    double[] profile = s.dailyProfile();
    for (int h = 0; h < 24; h++) {
      double hourMean = 24 / (2 * Math.PI)
          * (Math.cos(2 * Math.PI * h / 24) - Math.cos(2 * Math.PI * (h + 1) / 24));
      assertEquals(hourMean * Math.sqrt(2), profile[h], 0.02, "hour " + h);
    }
    assertEquals(0, s.burstiness(), 1e-9, "a smooth curve has no jumps");
  }

  @Test
  void burstinessOfGaussianNoiseIsTheNormalTailBeyondThreeMedianJumps() {
    Random rnd = new Random(3);
    double[] x = new double[50_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = 10 + rnd.nextGaussian();
    }
    // Jumps of white noise are N(0, 2 sigma^2): P(|jump| > 3 median|jump|) = P(|Z| > 3 q75).
    NormalDistribution z = new NormalDistribution();
    double tail = 2 * (1 - z.cumulativeProbability(3 * z.inverseCumulativeProbability(0.75)));
    assertEquals(tail, sign(x).burstiness(), 0.005);
    // Isolated one-step spikes add two bursty jumps each (up and down).
    double rate = 0.05;
    int spikes = 0;
    for (int i = 1; i < x.length - 1; i += 2) {
      if (rnd.nextDouble() < 2 * rate) {
        x[i] += 20;
        spikes++;
      }
    }
    double share = 2.0 * spikes / (x.length - 1);
    // The spikes' jumps lift the median jump to the noise jumps' 0.5 / (1 - share) quantile.
    double median = z.inverseCumulativeProbability((1 + 0.5 / (1 - share)) / 2);
    double noiseTail = 2 * (1 - z.cumulativeProbability(3 * median));
    assertEquals(noiseTail * (1 - share) + share, sign(x).burstiness(), 0.005);
  }

  @Test
  void shortSeriesLeavesTheDayLagAndUnseenHoursUnknown() {
    double[] x = SyntheticPatterns.values(SyntheticPatterns.Family.DAILY, 1, 72, 5);
    PatternSignature s = sign(x);
    assertTrue(Double.isNaN(s.acfDay()), "6 hours cannot measure a one-day lag");
    double[] profile = s.dailyProfile();
    boolean[] known = s.known();
    double[] vector = s.vector();
    for (int h = 0; h < 24; h++) {
      assertEquals(h < 6, !Double.isNaN(profile[h]), "hour " + h);
      assertEquals(h < 6, known[4 + h]);
    }
    assertFalse(known[2]);
    assertEquals(0, vector[2]);
    assertEquals(0, vector[4 + 12]);
    assertEquals(PatternSignature.FEATURES.size(), vector.length);
  }

  @Test
  void flatSeriesHasNoVariationNoCorrelationAndAZeroProfile() {
    double[] x = new double[3 * SyntheticPatterns.STEPS_PER_DAY];
    Arrays.fill(x, 0.25);
    PatternSignature s = sign(x);
    assertEquals(0, s.cv());
    assertEquals(0, s.acfLag1());
    assertEquals(0, s.acfDay());
    assertEquals(0, s.burstiness());
    assertArrayEquals(new double[24], s.dailyProfile());
  }

  @Test
  void gapsAreNotBridgedByTheLag() {
    // Two alternating halves, with a gap between them: lag-1 pairs exist only within a half.
    double[] v = {1, 1, 1, 1, 5, 5, 5, 5};
    long[] t = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      t[i] = SyntheticPatterns.START_MILLIS + (i < 4 ? i : i + 10) * STEP * 1000;
    }
    PatternSignature s = PatternSignature.ofValues(v, t, STEP);
    assertEquals(1, s.acfLag1(), 1e-12, "within each half the lagged values are equal");
    assertEquals(0, s.burstiness(), "the 1 -> 5 change spans the gap and is no jump");
  }

  @Test
  void rejectsUnorderedTimesAndNonFiniteValues() {
    assertThrows(IllegalArgumentException.class, () -> PatternSignature.ofValues(
        new double[] {1, 2}, new long[] {600_000, 300_000}, STEP));
    assertThrows(IllegalArgumentException.class, () -> PatternSignature.ofValues(
        new double[] {1, Double.NaN}, new long[] {0, 300_000}, STEP));
  }
}
