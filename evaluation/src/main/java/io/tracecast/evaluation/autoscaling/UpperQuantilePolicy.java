package io.tracecast.evaluation.autoscaling;

import io.tracecast.evaluation.provisioning.ProvisioningSettings;

/**
 * Forecast-driven provisioning as the provisioning simulator does it: the forecaster's upper
 * bound (p90 of the served 80 % band) for the step the start-up delay reaches, x (1 + headroom).
 */
public record UpperQuantilePolicy(ProvisioningSettings provisioning) implements ScalingPolicy {
  public static final String NAME = "upper_quantile";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double target(CapacityEnvironment env) {
    return provisioning.withHeadroomApplied(env.p90(env.delay() - 1));
  }
}
