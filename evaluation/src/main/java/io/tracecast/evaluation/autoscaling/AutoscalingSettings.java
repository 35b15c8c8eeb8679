package io.tracecast.evaluation.autoscaling;

import java.io.Serializable;

/**
 * The trace-driven autoscaling environment and the policies it compares
 * ({@code tracecast.evaluate.provisioning.autoscaling}); the start-up delay, headroom, floor and
 * reactive thresholds are {@code provisioning}'s own.
 *
 * @param maxFactor an agent's action a in [-1, 1] sets the next capacity to committed x
 *     maxFactor^a: at most this factor up or down per decision (> 1)
 * @param recentSteps past usage steps an agent observes (>= 1)
 * @param floorFraction capacity never goes below this fraction of the series' mean usage, so that
 *     a multiplicative policy can leave zero (in [0, 1))
 * @param ceiling capacity never goes above this multiple of the series' mean usage (a quota:
 *     without one, an exploring policy compounds its factor into overflow); > 1
 * @param reward what a step costs an agent
 * @param movingWindow the Autopilot-style recommender
 */
public record AutoscalingSettings(double maxFactor, int recentSteps, double floorFraction,
    double ceiling, Reward reward, MovingWindow movingWindow) implements Serializable {

  public AutoscalingSettings {
    if (!(maxFactor > 1) || !Double.isFinite(maxFactor)) {
      throw new IllegalArgumentException("max-factor must be a finite number > 1, got "
          + maxFactor);
    }
    if (recentSteps < 1) {
      throw new IllegalArgumentException("recent-steps must be >= 1, got " + recentSteps);
    }
    if (!(floorFraction >= 0 && floorFraction < 1)) {
      throw new IllegalArgumentException("floor-fraction must be in [0, 1), got "
          + floorFraction);
    }
    if (!(ceiling > 1) || !Double.isFinite(ceiling)) {
      throw new IllegalArgumentException("ceiling must be a finite multiple > 1, got " + ceiling);
    }
  }

  /** As conf/application.conf documents them. */
  public static AutoscalingSettings defaults() {
    return new AutoscalingSettings(2, 6, 0.01, 50, new Reward(1, 2, 0.2, 0.1, 0.6, 1.0),
        new MovingWindow(0.95, 144, 576, 0.10));
  }

  /**
   * The cost of one step at capacity c and usage u, in units of the series' mean usage m: <pre>
   * sla x [u &gt; c] + shortfall x max(0, u - c) / m + capacity x c / m + energy x E / m,
   * E = idle x c + (peak - idle) x min(u, c)</pre> (a linear power model: each provisioned unit
   * draws {@code idle} when on and up to {@code peak} when busy). The agent's reward is its
   * negative.
   */
  public record Reward(double sla, double shortfall, double capacity, double energy,
      double idlePower, double peakPower) implements Serializable {
    public Reward {
      for (double w : new double[] {sla, shortfall, capacity, energy, idlePower}) {
        if (!(w >= 0) || !Double.isFinite(w)) {
          throw new IllegalArgumentException("reward weights and idle power must be finite and "
              + ">= 0, got " + w);
        }
      }
      if (!(peakPower >= idlePower) || !Double.isFinite(peakPower)) {
        throw new IllegalArgumentException("peak power must be >= idle power " + idlePower
            + ", got " + peakPower);
      }
    }

    /** The energy proxy of one step at capacity c and usage u. */
    public double energy(double usage, double capacity) {
      return idlePower * capacity + (peakPower - idlePower) * Math.min(usage, capacity);
    }

    /** The step's cost (>= 0); {@code scale} is the series' mean usage (> 0). */
    public double cost(double usage, double capacity, double scale) {
      double shortBy = Math.max(0, usage - capacity);
      return (usage > capacity ? sla : 0) + (shortfall * shortBy + this.capacity * capacity
          + energy * energy(usage, capacity)) / scale;
    }
  }

  /**
   * Autopilot's moving-window recommender (Rzadca et al., EuroSys 2020), for a 5-minute step:
   * the {@code percentile} of the usage samples of the last {@code windowSteps} steps, each
   * weighted 2^(-age / halfLifeSteps), times (1 + margin).
   */
  public record MovingWindow(double percentile, double halfLifeSteps, int windowSteps,
      double margin) implements Serializable {
    public MovingWindow {
      if (!(percentile > 0 && percentile <= 1)) {
        throw new IllegalArgumentException("moving-window percentile must be in (0, 1], got "
            + percentile);
      }
      if (!(halfLifeSteps > 0) || !Double.isFinite(halfLifeSteps)) {
        throw new IllegalArgumentException("moving-window half-life must be > 0 steps, got "
            + halfLifeSteps);
      }
      if (windowSteps < 1) {
        throw new IllegalArgumentException("moving-window window must be >= 1 step, got "
            + windowSteps);
      }
      if (!(margin >= 0) || !Double.isFinite(margin)) {
        throw new IllegalArgumentException("moving-window margin must be >= 0, got " + margin);
      }
    }
  }
}
