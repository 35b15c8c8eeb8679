package io.tracecast.autoscale.apex;

import io.tracecast.evaluation.autoscaling.AutoscalingSettings;
import io.tracecast.evaluation.autoscaling.CapacityEnvironment;
import io.tracecast.evaluation.autoscaling.DemandTrace;
import io.tracecast.evaluation.autoscaling.PolicyFeatures;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import java.io.Serializable;

/** What every actor builds its environments from: evaluation's settings and the delay. */
public record EnvironmentSpec(AutoscalingSettings autoscaling, ProvisioningSettings provisioning,
    int delay) implements Serializable {

  public CapacityEnvironment environment(DemandTrace trace) {
    if (trace.delay() != delay) {
      throw new IllegalArgumentException(trace.series() + ": forecasts for " + trace.delay()
          + " steps, the environment's delay is " + delay);
    }
    return new CapacityEnvironment(trace, autoscaling, provisioning.minProvision());
  }

  public int features() {
    return PolicyFeatures.size(delay, autoscaling.recentSteps());
  }

  /**
   * The forecast-spread term of a decision's priority: the relative width of the band at the
   * delay step, (p90 - p10) / max(p50, floor), at most 4. Uncertain steps are where an agent
   * learns what headroom costs, so the replay samples them more (the paper's priority term).
   */
  public static float spread(CapacityEnvironment env) {
    int k = env.delay() - 1;
    double w = (env.p90(k) - env.p10(k)) / Math.max(env.p50(k), Math.max(env.floor(), 1e-12));
    return (float) Math.max(0, Math.min(4, w));
  }
}
