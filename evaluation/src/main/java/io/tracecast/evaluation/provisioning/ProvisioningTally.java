package io.tracecast.evaluation.provisioning;

import java.io.Serializable;

/**
 * Running sums behind a {@link ProvisioningOutcome}, so outcomes can be built per series and
 * merged per job (or across Spark partitions) without keeping the series. Mutable: it lives
 * inside an evaluation stage; what leaves it is the immutable outcome.
 */
public final class ProvisioningTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private long steps;
  private long violations;
  private double actualSum;
  private double provisionedSum;
  private double shortfallSum;

  /** Scores one step: a violation when provisioned < actual. */
  public ProvisioningTally add(double actual, double provisioned) {
    if (!Double.isFinite(actual) || !Double.isFinite(provisioned)) {
      throw new IllegalArgumentException("step " + steps + ": actual " + actual
          + " and provisioned " + provisioned + " must be finite");
    }
    steps++;
    actualSum += actual;
    provisionedSum += provisioned;
    if (provisioned < actual) {
      violations++;
      shortfallSum += actual - provisioned;
    }
    return this;
  }

  /** Scores aligned steps: provisioned[i] against actual[i]. */
  public ProvisioningTally addAll(double[] actual, double[] provisioned) {
    if (actual.length != provisioned.length) {
      throw new IllegalArgumentException(actual.length + " actual values but "
          + provisioned.length + " provisioned");
    }
    for (int i = 0; i < actual.length; i++) {
      add(actual[i], provisioned[i]);
    }
    return this;
  }

  /** Adds another tally's steps to this one. */
  public ProvisioningTally merge(ProvisioningTally other) {
    steps += other.steps;
    violations += other.violations;
    actualSum += other.actualSum;
    provisionedSum += other.provisionedSum;
    shortfallSum += other.shortfallSum;
    return this;
  }

  /** Rates and means are NaN when no step was scored; efficiency is NaN when actual sums to 0. */
  public ProvisioningOutcome outcome() {
    return new ProvisioningOutcome(steps, violations, (double) violations / steps,
        actualSum == 0 ? Double.NaN : provisionedSum / actualSum,
        provisionedSum / steps, shortfallSum / steps);
  }
}
