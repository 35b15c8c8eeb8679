package io.tracecast.evaluation.provisioning;

/**
 * How capacity is provisioned, in the units of the series (e.g. CPU fraction of capacity).
 *
 * @param headroom fraction added on top of what a policy aims for: provisioned = basis * (1 +
 *     headroom); 0.10 by default
 * @param minProvision capacity is never below this (>= 0): a forecast can go negative, a
 *     deployment cannot
 * @param upperUtilisation the reactive autoscaler scales up when last step's usage / capacity
 *     exceeds this (0.8, as in common threshold policies)
 * @param lowerUtilisation the reactive autoscaler scales down when last step's usage / capacity
 *     is below this (0.3)
 * @param scaleUpFactor capacity multiplier on a scale-up (> 1; 1.5)
 * @param scaleDownFactor capacity multiplier on a scale-down (in (0, 1); 0.75)
 * @param cooldownSteps steps after a scaling action during which the reactive autoscaler takes
 *     no further action (0: it may act every step, the most responsive and so the fairest
 *     baseline at a 5-minute step)
 */
public record ProvisioningSettings(double headroom, double minProvision,
    double upperUtilisation, double lowerUtilisation, double scaleUpFactor,
    double scaleDownFactor, int cooldownSteps) implements java.io.Serializable {

  public ProvisioningSettings {
    if (!(headroom >= 0) || !Double.isFinite(headroom)) {
      throw new IllegalArgumentException("headroom must be a finite fraction >= 0, got "
          + headroom);
    }
    if (!(minProvision >= 0) || !Double.isFinite(minProvision)) {
      throw new IllegalArgumentException("minProvision must be finite and >= 0, got "
          + minProvision);
    }
    if (!(lowerUtilisation >= 0 && lowerUtilisation < upperUtilisation)) {
      throw new IllegalArgumentException("utilisation thresholds need 0 <= lower < upper, got "
          + lowerUtilisation + " and " + upperUtilisation);
    }
    if (!(scaleUpFactor > 1) || !Double.isFinite(scaleUpFactor)) {
      throw new IllegalArgumentException("scaleUpFactor must be > 1, got " + scaleUpFactor);
    }
    if (!(scaleDownFactor > 0 && scaleDownFactor < 1)) {
      throw new IllegalArgumentException("scaleDownFactor must be in (0, 1), got "
          + scaleDownFactor);
    }
    if (cooldownSteps < 0) {
      throw new IllegalArgumentException("cooldownSteps must be >= 0, got " + cooldownSteps);
    }
  }

  /** 10% headroom, no floor, scale up x1.5 above 80% and down x0.75 below 30%, no cooldown. */
  public static ProvisioningSettings defaults() {
    return new ProvisioningSettings(0.10, 0, 0.8, 0.3, 1.5, 0.75, 0);
  }

  public ProvisioningSettings withHeadroom(double fraction) {
    return new ProvisioningSettings(fraction, minProvision, upperUtilisation, lowerUtilisation,
        scaleUpFactor, scaleDownFactor, cooldownSteps);
  }

  public ProvisioningSettings withCooldownSteps(int steps) {
    return new ProvisioningSettings(headroom, minProvision, upperUtilisation, lowerUtilisation,
        scaleUpFactor, scaleDownFactor, steps);
  }

  /** basis * (1 + headroom), floored at minProvision. */
  /** What a forecast-driven provisioner buys for a step whose forecast basis is {@code basis}. */
  public double withHeadroomApplied(double basis) {
    return Math.max(minProvision, basis * (1 + headroom));
  }
}
