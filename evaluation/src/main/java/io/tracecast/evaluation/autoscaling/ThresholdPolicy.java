package io.tracecast.evaluation.autoscaling;

import io.tracecast.evaluation.provisioning.ReactiveAutoscaler;

/**
 * The reactive threshold autoscaler ({@link ReactiveAutoscaler}'s rule, its one home) acting
 * through the start-up delay: it sees the utilisation of the current step and changes the
 * capacity committed last, within its cooldown.
 */
public record ThresholdPolicy(ReactiveAutoscaler autoscaler) implements ScalingPolicy {
  public static final String NAME = "reactive";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double target(CapacityEnvironment env) {
    return autoscaler.next(env.committed(), env.usage(0), env.capacityNow(),
        env.stepsSinceAction());
  }
}
