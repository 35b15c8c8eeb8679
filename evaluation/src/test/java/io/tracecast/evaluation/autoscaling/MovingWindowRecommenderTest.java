package io.tracecast.evaluation.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MovingWindowRecommenderTest {

  /**
   * With a half-life of one step, the weights 2^-age times 2^(n-1) are whole numbers: the
   * decayed percentile is then the plain percentile of each sample repeated that many times.
   */
  @Test
  void decayedPercentileIsThePercentileOfSamplesRepeatedByWeight() {
    Random rng = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + rng.nextInt(10);
      double q = 0.05 + 0.9 * rng.nextDouble();
      double[] values = new double[n];
      double[] weights = new double[n];
      List<Double> repeated = new ArrayList<>();
      for (int age = 0; age < n; age++) {
        values[age] = Math.round(rng.nextDouble() * 100) / 10.0;
        weights[age] = Math.pow(2, -age);
        for (long k = 0; k < (1L << (n - 1 - age)); k++) {
          repeated.add(values[age]);
        }
      }
      Collections.sort(repeated);
      double expected = repeated.get((int) Math.ceil(q * repeated.size()) - 1);
      assertEquals(expected, MovingWindowRecommender.weightedPercentile(values, weights, q),
          0, "trial " + trial);
    }
  }

  @Test
  void recommendsTheWindowsDecayedPercentileWithMargin() {
    double[] demand = {1, 1, 1, 1, 10, 1, 1, 1};
    double[][] f = {demand.clone()};
    DemandTrace t = new DemandTrace("j", "s", "test", 300, 0, demand, f, f, f, 2.125);
    AutoscalingSettings s = AutoscalingSettings.defaults();
    CapacityEnvironment env = new CapacityEnvironment(t, s, 0).start(6, 8, 1);
    // at t = 6 the window holds 7 samples; the one 10 has age 2 and weight 2^(-2/144): far
    // more than 5 % of the total, so the 95th percentile is 10
    var p = new MovingWindowRecommender(new AutoscalingSettings.MovingWindow(0.95, 144, 576, 0.1));
    assertEquals(11, p.target(env), 1e-12);
    // a 50th percentile ignores it
    var median = new MovingWindowRecommender(new AutoscalingSettings.MovingWindow(0.5, 144, 576,
        0));
    assertEquals(1, median.target(env), 1e-12);
  }
}
