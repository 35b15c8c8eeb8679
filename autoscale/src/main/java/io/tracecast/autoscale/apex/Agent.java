package io.tracecast.autoscale.apex;

import io.tracecast.evaluation.autoscaling.CapacityEnvironment;
import io.tracecast.evaluation.autoscaling.DemandTrace;
import io.tracecast.evaluation.autoscaling.UpperQuantilePolicy;
import java.io.Serializable;

/**
 * One agent: a trace it acts on, and the scale its rewards are divided by.
 *
 * <p>Credit assignment: agents share one policy and critic but never each other's rewards (each
 * agent's reward is its own series' cost, and the series do not interact), so no agent's reward
 * is noise in another's. What remains is that series differ in how volatile their costs are, and
 * a shared critic's loss would be ruled by the most volatile ones; as the paper's
 * variance-regularised credit assignment intends, each agent's rewards are divided by their
 * standard deviation under a fixed reference policy (upper-quantile provisioning, which needs no
 * learning) on its own trace (at least a tenth of their mean), so that every agent's TD errors
 * are on one scale.
 */
public record Agent(DemandTrace trace, double rewardScale) implements Serializable {
  public Agent {
    if (!(rewardScale > 0) || !Double.isFinite(rewardScale)) {
      throw new IllegalArgumentException(trace.series() + ": reward scale " + rewardScale);
    }
  }

  /** The agent of a trace, its reward scale measured as the class says. */
  public static Agent of(DemandTrace trace, EnvironmentSpec env) {
    CapacityEnvironment e = env.environment(trace).startWhole(env.provisioning().headroom());
    UpperQuantilePolicy reference = new UpperQuantilePolicy(env.provisioning());
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    while (!e.done()) {
      double r = e.decide(reference.target(e));
      sum += r;
      sumSq += r * r;
      n++;
    }
    double mean = sum / n;
    double sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    // a steady series' reference rewards barely vary: a floor of a tenth of their mean keeps
    // its scaled rewards from dwarfing everyone else's
    return new Agent(trace, Math.max(sd, Math.max(0.1 * Math.abs(mean), 1e-6)));
  }
}
