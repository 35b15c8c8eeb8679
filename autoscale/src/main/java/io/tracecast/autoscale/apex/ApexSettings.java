package io.tracecast.autoscale.apex;

import java.io.Serializable;

/**
 * Ape-X's distribution of work ({@code tracecast.autoscale.apex}).
 *
 * @param actors actor tasks per round (Spark partitions of the agents)
 * @param rounds actor rounds; after each, the learner publishes new weights to the actors
 * @param updatesPerRound K: learner updates between weight publications
 * @param segmentSteps decisions per agent per round
 * @param batch transitions per learner update (the paper's 512)
 * @param replayCapacity transitions the replay keeps (oldest overwritten)
 * @param warmup transitions in the replay before the learner starts
 * @param alpha priority exponent (0.6)
 * @param beta0 the importance-weight exponent at the first update, annealed linearly to 1 at
 *     the last
 * @param priorityEpsilon added to |TD error|
 * @param spreadWeight weight of the forecast's relative band width in priorities
 * @param noiseBase actor i's Gaussian action noise is noiseBase^(1 + noiseAlpha x i / (N - 1))
 *     (Ape-X's per-actor exploration schedule)
 * @param validateEvery rounds between scorings of the noise-free policy on validation
 */
public record ApexSettings(int actors, int rounds, int updatesPerRound, int segmentSteps,
    int batch, int replayCapacity, int warmup, double alpha, double beta0,
    double priorityEpsilon, double spreadWeight, double noiseBase, double noiseAlpha,
    int validateEvery, long seed) implements Serializable {

  public ApexSettings {
    if (actors < 1 || rounds < 1 || updatesPerRound < 1 || segmentSteps < 1 || batch < 1
        || validateEvery < 1) {
      throw new IllegalArgumentException("actors, rounds, updates-per-round, segment-steps, "
          + "batch and validate-every must be >= 1");
    }
    if (replayCapacity < batch || warmup < batch || warmup > replayCapacity) {
      throw new IllegalArgumentException("need batch <= warmup <= replay capacity, got "
          + batch + ", " + warmup + ", " + replayCapacity);
    }
    if (!(alpha >= 0) || !(beta0 >= 0 && beta0 <= 1) || !(priorityEpsilon > 0)
        || !(spreadWeight >= 0) || !(noiseBase > 0 && noiseBase < 1) || !(noiseAlpha >= 0)) {
      throw new IllegalArgumentException("need alpha >= 0, beta0 in [0, 1], epsilon > 0, "
          + "spread weight >= 0, noise base in (0, 1), noise alpha >= 0");
    }
  }

  /** Actor i's noise scale. */
  public double noise(int actor) {
    double x = actors == 1 ? 0 : (double) actor / (actors - 1);
    return Math.pow(noiseBase, 1 + noiseAlpha * x);
  }

  /** The importance-weight exponent at update u of {@code total}. */
  public double beta(long update, long total) {
    return Math.min(1, beta0 + (1 - beta0) * update / Math.max(1, total - 1));
  }
}
