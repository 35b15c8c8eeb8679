package io.tracecast.evaluation.autoscaling;

import java.io.Serializable;

/**
 * One contiguous stretch of a series as an autoscaling agent meets it: the usage at each step
 * (original units) and what the observed forecaster said at each step about the next
 * {@code delay} steps (its median and the served 80 % band).
 *
 * @param demand usage per step, finite and >= 0 after clamping negatives to 0
 * @param p10 p10[k][t]: the lower bound forecast at origin t for step t + k + 1
 * @param p50 the point (median) forecasts, same layout
 * @param p90 the upper bounds, same layout; the upper-quantile provisioner buys p90 x (1 +
 *     headroom) for the step the start-up delay reaches
 * @param scale the mean usage of the stretch (> 0): the unit of rewards and of the floor
 */
public record DemandTrace(String job, String series, String split, long stepSeconds,
    long startMillis, double[] demand, double[][] p10, double[][] p50, double[][] p90,
    double scale) implements Serializable {

  public DemandTrace {
    if (p10.length == 0 || p10.length != p50.length || p50.length != p90.length) {
      throw new IllegalArgumentException(series + ": forecasts for " + p10.length + "/"
          + p50.length + "/" + p90.length + " steps, expected the same number >= 1");
    }
    for (int k = 0; k < p10.length; k++) {
      if (p10[k].length != demand.length || p50[k].length != demand.length
          || p90[k].length != demand.length) {
        throw new IllegalArgumentException(series + ": step " + (k + 1) + " forecasts do not "
            + "cover the " + demand.length + " steps of usage");
      }
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException(series + ": scale must be finite and > 0, got " + scale);
    }
  }

  /** The start-up delay in steps this trace carries forecasts for. */
  public int delay() {
    return p10.length;
  }

  public int length() {
    return demand.length;
  }

  /** Steps per hour at this trace's step. */
  public double stepsPerHour() {
    return 3600.0 / stepSeconds;
  }
}
