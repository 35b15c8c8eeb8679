package io.tracecast.autoscale.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class PrioritizedReplayTest {
  private static final double ALPHA = 0.6;

  private static Experience experience(double[] priorities) {
    int n = priorities.length;
    float[] obs = new float[n];
    float[] action = new float[n];
    for (int i = 0; i < n; i++) {
      obs[i] = i; // the observation names the transition
      action[i] = i;
    }
    return new Experience(1, obs, action, new float[n], obs.clone(), new float[n], priorities);
  }

  @Test
  void samplesInProportionToPriorityToTheAlpha() {
    double[] priorities = {0.01, 0.5, 1, 2, 3, 5, 8, 0.2, 13, 0.7};
    PrioritizedReplay replay = new PrioritizedReplay(16, 1, ALPHA);
    replay.addAll(experience(priorities));
    double total = 0;
    for (double p : priorities) {
      total += Math.pow(p, ALPHA);
    }
    double[] expected = new double[priorities.length];
    long[] observed = new long[priorities.length];
    Random rng = new Random(11);
    int batches = 2000;
    int batch = 32;
    for (int b = 0; b < batches; b++) {
      PrioritizedReplay.Batch s = replay.sample(batch, 0.4, rng);
      for (int i = 0; i < batch; i++) {
        observed[(int) s.obs[i]]++;
      }
    }
    for (int i = 0; i < priorities.length; i++) {
      expected[i] = batches * batch * Math.pow(priorities[i], ALPHA) / total;
      assertEquals(Math.pow(priorities[i], ALPHA) / total, replay.probability(i), 1e-12);
    }
    double p = new ChiSquareTest().chiSquareTest(expected, observed);
    assertTrue(p > 0.001, "chi-square p = " + p);
  }

  @Test
  void importanceWeightsAreNormalisedInverseProbabilities() {
    double[] priorities = {1, 4, 9};
    PrioritizedReplay replay = new PrioritizedReplay(8, 1, ALPHA);
    replay.addAll(experience(priorities));
    PrioritizedReplay.Batch s = replay.sample(64, 0.5, new Random(5));
    double max = 0;
    double[] w = new double[s.size()];
    for (int i = 0; i < s.size(); i++) {
      w[i] = Math.pow(3 * replay.probability(s.slots[i]), -0.5);
      max = Math.max(max, w[i]);
    }
    for (int i = 0; i < s.size(); i++) {
      assertEquals(w[i] / max, s.weight[i], 1e-12);
      assertEquals(s.slots[i], (int) s.action[i]);
    }
  }

  @Test
  void updatedPrioritiesAndOverwrittenSlotsChangeWhatIsSampled() {
    PrioritizedReplay replay = new PrioritizedReplay(4, 1, ALPHA);
    replay.addAll(experience(new double[] {1, 1, 1, 1}));
    replay.update(new int[] {2}, new double[] {0});
    Random rng = new Random(1);
    for (int b = 0; b < 200; b++) {
      for (float o : replay.sample(8, 1, rng).obs) {
        assertTrue(o != 2, "a transition with priority 0 was sampled");
      }
    }
    // a fifth transition overwrites the oldest, slot 0 (observation 0)
    replay.addAll(new Experience(1, new float[] {42}, new float[] {0}, new float[1],
        new float[] {42}, new float[1], new double[] {1}));
    assertEquals(4, replay.size());
    java.util.Set<Float> seen = new java.util.HashSet<>();
    for (int b = 0; b < 200; b++) {
      for (float o : replay.sample(8, 1, rng).obs) {
        seen.add(o);
      }
    }
    assertEquals(java.util.Set.of(42f, 1f, 3f), seen);
  }
}
