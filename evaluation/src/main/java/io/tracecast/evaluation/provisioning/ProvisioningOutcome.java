package io.tracecast.evaluation.provisioning;

/**
 * What a provisioning policy bought over a test period, in the units of the series (e.g. CPU
 * fraction of capacity).
 *
 * @param steps steps simulated
 * @param violations steps where the provisioned amount was below the actual usage (an SLA miss)
 * @param violationRate violations / steps
 * @param efficiency sum of provisioned / sum of actual: 1.0 is a perfect fit, 1.3 means 30%
 *     more capacity was paid for than used (NaN when the actual sum is 0)
 * @param meanProvisioned mean provisioned amount per step
 * @param meanShortfall mean of max(0, actual - provisioned) per step: how much was missing
 */
public record ProvisioningOutcome(long steps, long violations, double violationRate,
    double efficiency, double meanProvisioned, double meanShortfall) {

  public ProvisioningOutcome {
    if (steps < 0 || violations < 0 || violations > steps) {
      throw new IllegalArgumentException("violations " + violations + " outside 0.." + steps);
    }
  }
}
