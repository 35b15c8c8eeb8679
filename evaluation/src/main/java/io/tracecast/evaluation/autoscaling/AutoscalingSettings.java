package io.tracecast.evaluation.autoscaling;

import java.io.Serializable;

/**
 * The trace-driven autoscaling environment and the policies it compares
 * ({@code tracecast.evaluate.provisioning.autoscaling}); the start-up delay, headroom, floor and
 * reactive thresholds are {@code provisioning}'s own.
 *
 * @param maxFactor an agent's action a in [-1, 1] sets the next capacity to anchor x
 *     maxFactor^a: at most this factor above or below the anchor (> 1)
 * @param anchor what an action's factor applies to
 * @param recentSteps past usage steps an agent observes (>= 1)
 * @param floorFraction capacity never goes below this fraction of the series' mean usage, so that
 *     a multiplicative policy can leave zero (in [0, 1))
 * @param ceiling capacity never goes above this multiple of the series' mean usage (a quota:
 *     without one, an exploring policy compounds its factor into overflow); > 1
 * @param reward what a step costs an agent
 * @param operatingRange the factors a learned policy's capacity is scaled by to pick its
 *     operating point
 * @param movingWindow the Autopilot-style recommender
 */
public record AutoscalingSettings(double maxFactor, Anchor anchor, int recentSteps,
    double floorFraction, double ceiling, Reward reward, OperatingRange operatingRange,
    MovingWindow movingWindow) implements Serializable {

  public AutoscalingSettings {
    if (!(maxFactor > 1) || !Double.isFinite(maxFactor)) {
      throw new IllegalArgumentException("max-factor must be a finite number > 1, got "
          + maxFactor);
    }
    if (anchor == null) {
      throw new IllegalArgumentException("action-anchor is required");
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
    return new AutoscalingSettings(2, Anchor.FORECAST, 6, 0.01, 50,
        new Reward(1, 2, 0.2, 0.1, 0.6, 1.0), new OperatingRange(0.8, 2.5),
        new MovingWindow(0.95, 144, 576, 0.10));
  }

  /**
   * What a learned policy's action scales ({@code action-anchor}).
   *
   * <p>{@code FORECAST}: the forecaster's upper bound (p90) for the step the decision sets, so
   * the action is a state-dependent headroom over it (residual on a policy that does not learn,
   * which it starts near: a = 0). {@code COMMITTED}: the capacity already committed, so the
   * action is a change from it; each decision compounds on the last, and on the samples and
   * the toy fleet training drifted to the quota and stalled on its plateau, where no action
   * changes the reward (bench/README, "Autoscaling").
   */
  public enum Anchor {
    FORECAST, COMMITTED;

    /** {@code forecast} or {@code committed}, as HOCON writes it. */
    public static Anchor parse(String text) {
      for (Anchor a : values()) {
        if (a.name().equalsIgnoreCase(text)) {
          return a;
        }
      }
      throw new IllegalArgumentException("action-anchor must be forecast or committed, got '"
          + text + "'");
    }
  }

  /**
   * The operating points of a learned policy: a factor k multiplies the capacity it asks for
   * (k = 1: as trained). Capacity rises and violations fall with k, as with the headroom of
   * upper-quantile provisioning or the percentile of the moving window, so a user picks the
   * point that suits their SLA, and tracecast autoscale picks, on validation, the factor at
   * which the policy matches each policy that does not learn (OperatingPoints).
   */
  public record OperatingRange(double low, double high) implements Serializable {
    public OperatingRange {
      if (!(low > 0 && low <= 1 && high >= 1) || !Double.isFinite(high)) {
        throw new IllegalArgumentException("operating-range must satisfy 0 < low <= 1 <= high, "
            + "got [" + low + ", " + high + "]");
      }
    }

    /** The factor at position u in [0, 1] of the range, evenly in log. */
    public double at(double u) {
      return Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
    }
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
