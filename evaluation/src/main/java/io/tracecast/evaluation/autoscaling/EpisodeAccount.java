package io.tracecast.evaluation.autoscaling;

import io.tracecast.evaluation.provisioning.ProvisioningTally;
import java.io.Serializable;

/**
 * The exact account of scored steps: provisioning's tally (violations, capacity and usage sums,
 * shortfall) plus the energy proxy; mergeable across series and jobs. Mutable, inside a stage.
 */
public final class EpisodeAccount implements Serializable {
  private static final long serialVersionUID = 1L;
  private final ProvisioningTally tally = new ProvisioningTally();
  private final long stepSeconds;
  private final AutoscalingSettings.Reward reward;
  private double energySum;
  private double usageSum;

  public EpisodeAccount(long stepSeconds, AutoscalingSettings.Reward reward) {
    if (stepSeconds < 1) {
      throw new IllegalArgumentException("step must be >= 1 s, got " + stepSeconds);
    }
    this.stepSeconds = stepSeconds;
    this.reward = reward;
  }

  /** Scores one step: usage against the capacity in effect. */
  public EpisodeAccount add(double usage, double capacity) {
    tally.add(usage, capacity);
    energySum += reward.energy(usage, capacity);
    usageSum += usage;
    return this;
  }

  public EpisodeAccount merge(EpisodeAccount other) {
    if (other.stepSeconds != stepSeconds) {
      throw new IllegalArgumentException("cannot merge accounts of " + other.stepSeconds
          + " s and " + stepSeconds + " s steps");
    }
    tally.merge(other.tally);
    energySum += other.energySum;
    usageSum += other.usageSum;
    return this;
  }

  public PolicyOutcome outcome() {
    var o = tally.outcome();
    double hours = o.steps() * stepSeconds / 3600.0;
    return new PolicyOutcome(o.steps(), o.violations(), o.violationRate(),
        o.violations() / hours, o.efficiency(), o.meanProvisioned(),
        usageSum == 0 ? Double.NaN : energySum / usageSum, energySum);
  }
}
