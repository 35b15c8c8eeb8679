package io.tracecast.evaluation.provisioning;

/**
 * Forecast-driven provisioning: at each step capacity is set ahead of time to the forecast basis
 * (the 90% quantile where the model has one, else the point forecast) plus headroom, and scored
 * against the usage that then happened. This turns forecast accuracy into what operators buy:
 * SLA misses and capacity paid for.
 */
public final class ProvisioningSimulator {
  private final ProvisioningSettings settings;

  public ProvisioningSimulator(ProvisioningSettings settings) {
    this.settings = settings;
  }

  /** provisioned[t] = max(minProvision, basis[t] * (1 + headroom)). */
  public double[] provisioned(double[] basis) {
    double[] out = new double[basis.length];
    for (int t = 0; t < basis.length; t++) {
      if (!Double.isFinite(basis[t])) {
        throw new IllegalArgumentException("forecast basis at step " + t + " is " + basis[t]);
      }
      out[t] = settings.withHeadroomApplied(basis[t]);
    }
    return out;
  }

  /** The scored steps of one series, to merge with others. */
  public ProvisioningTally tally(double[] actual, double[] basis) {
    return new ProvisioningTally().addAll(actual, provisioned(basis));
  }

  public ProvisioningOutcome simulate(double[] actual, double[] basis) {
    return tally(actual, basis).outcome();
  }
}
