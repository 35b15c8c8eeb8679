package io.tracecast.autoscale.agent;

import java.io.Serializable;
import java.util.List;

/**
 * The actor-critic's shape and learning rates ({@code tracecast.autoscale.agent}).
 *
 * @param hidden hidden ReLU layer widths of both networks (the paper's 128-128-64)
 * @param actorLearningRate Adam's for the policy
 * @param criticLearningRate Adam's for the Q critic
 * @param gamma discount per step
 * @param tau soft target update: target = tau x online + (1 - tau) x target, each update
 * @param gradientClip each layer's gradient is rescaled to at most this L2 norm
 */
public record AgentSettings(List<Integer> hidden, double actorLearningRate,
    double criticLearningRate, double gamma, double tau, double gradientClip, long seed)
    implements Serializable {
  public AgentSettings {
    hidden = List.copyOf(hidden);
    if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("hidden layers must be >= 1 wide, got " + hidden);
    }
    if (!(actorLearningRate > 0) || !(criticLearningRate > 0)) {
      throw new IllegalArgumentException("learning rates must be > 0");
    }
    if (!(gamma >= 0 && gamma < 1)) {
      throw new IllegalArgumentException("gamma must be in [0, 1), got " + gamma);
    }
    if (!(tau > 0 && tau <= 1)) {
      throw new IllegalArgumentException("tau must be in (0, 1], got " + tau);
    }
    if (!(gradientClip > 0)) {
      throw new IllegalArgumentException("gradient clip must be > 0, got " + gradientClip);
    }
  }
}
