package io.tracecast.evaluation.autoscaling;

import java.util.Arrays;

/**
 * Autopilot's moving-window recommender (Rzadca et al., EuroSys 2020) for the start-up delay:
 * the weighted percentile of the usage of the last {@code windowSteps} steps, a sample of age j
 * steps weighted 2^(-j / halfLife), x (1 + margin). It sees usage only, never a forecast.
 */
public record MovingWindowRecommender(AutoscalingSettings.MovingWindow settings)
    implements ScalingPolicy {
  public static final String NAME = "moving_window";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double target(CapacityEnvironment env) {
    int n = Math.min(settings.windowSteps(), env.step() + 1);
    double[] usage = new double[n];
    double[] weight = new double[n];
    for (int age = 0; age < n; age++) {
      usage[age] = env.usage(age);
      weight[age] = Math.pow(2, -age / settings.halfLifeSteps());
    }
    return weightedPercentile(usage, weight, settings.percentile()) * (1 + settings.margin());
  }

  /**
   * The smallest value v whose samples at or below it carry at least {@code q} of the total
   * weight (the decayed histogram's q-quantile, as Autopilot reads it, without bucketing).
   */
  static double weightedPercentile(double[] values, double[] weights, double q) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double cumulative = 0;
    for (int i : order) {
      cumulative += weights[i];
      if (cumulative >= q * total * (1 - 1e-12)) {
        return values[i];
      }
    }
    return values[order[order.length - 1]];
  }
}
