package io.tracecast.evaluation.provisioning;

/**
 * The baseline a forecast must beat: a threshold autoscaler that only sees past usage.
 *
 * <p>Policy, per step t >= 1, on the utilisation u = actual[t-1] / capacity[t-1] it observed:
 * <ul>
 *   <li>u > upperUtilisation: scale up to max(capacity * scaleUpFactor,
 *       actual[t-1] * (1 + headroom)); the second term keeps a large jump from needing several
 *       steps (and gets capacity off zero, where a multiplier alone would stay);
 *   <li>u < lowerUtilisation: scale down to capacity * scaleDownFactor;
 *   <li>otherwise, or within cooldownSteps steps after the last action: keep the capacity.
 * </ul>
 * Capacity is always at least minProvision. Usage 0 on capacity 0 counts as utilisation 0.
 *
 * <p>Step 0 starts from {@code initialCapacity}, by default actual[0] * (1 + headroom): a warm
 * start at the right level, which favours the baseline by one step rather than charging it a
 * cold start the forecasting models do not pay.
 */
public final class ReactiveAutoscaler {
  private final ProvisioningSettings settings;

  public ReactiveAutoscaler(ProvisioningSettings settings) {
    this.settings = settings;
  }

  /** Capacity per step, warm-started at actual[0] * (1 + headroom). */
  public double[] provisioned(double[] actual) {
    return actual.length == 0 ? new double[0]
        : provisioned(actual, settings.withHeadroomApplied(actual[0]));
  }

  /** Capacity per step, starting from {@code initialCapacity} at step 0. */
  public double[] provisioned(double[] actual, double initialCapacity) {
    double[] capacity = new double[actual.length];
    if (actual.length == 0) {
      return capacity;
    }
    capacity[0] = Math.max(settings.minProvision(), initialCapacity);
    int since = Integer.MAX_VALUE / 2; // steps since the last action
    for (int t = 1; t < actual.length; t++) {
      capacity[t] = next(capacity[t - 1], actual[t - 1], capacity[t - 1], since);
      since = capacity[t] != capacity[t - 1] ? 1 : since + 1;
    }
    return capacity;
  }

  /**
   * The rule, one step: the capacity to set next, from the capacity it would replace
   * ({@code previous}), the last usage seen and the capacity that usage ran on, {@code since}
   * steps after the last action (> cooldownSteps for a new one). Floored at minProvision.
   */
  public double next(double previous, double used, double ranOn, int since) {
    double utilisation = used == 0 ? 0 : used / ranOn;
    double next = previous;
    if (since > settings.cooldownSteps()) {
      if (utilisation > settings.upperUtilisation()) {
        next = Math.max(previous * settings.scaleUpFactor(), used * (1 + settings.headroom()));
      } else if (utilisation < settings.lowerUtilisation()) {
        next = previous * settings.scaleDownFactor();
      }
    }
    return Math.max(settings.minProvision(), next);
  }

  /** The scored steps of one series, to merge with others. */
  public ProvisioningTally tally(double[] actual) {
    return new ProvisioningTally().addAll(actual, provisioned(actual));
  }

  public ProvisioningOutcome simulate(double[] actual) {
    return tally(actual).outcome();
  }
}
