package io.tracecast.evaluation.autoscaling;

/**
 * What a policy bought over the scored steps, in the series' units.
 *
 * @param violationRate steps with usage above capacity / steps
 * @param violationsPerHour violating steps per hour simulated
 * @param provisionedOverUsed sum of capacity / sum of usage (NaN when usage sums to 0)
 * @param meanProvisioned mean capacity per step
 * @param energyOverUsed the energy proxy per unit of usage: idle x capacity + (peak - idle) x
 *     served usage, summed, over summed usage
 * @param energy the energy proxy summed over the steps (capacity units x steps)
 */
public record PolicyOutcome(long steps, long violations, double violationRate,
    double violationsPerHour, double provisionedOverUsed, double meanProvisioned,
    double energyOverUsed, double energy) {
  public PolicyOutcome {
    if (steps < 0 || violations < 0 || violations > steps) {
      throw new IllegalArgumentException("violations " + violations + " outside 0.." + steps);
    }
  }
}
