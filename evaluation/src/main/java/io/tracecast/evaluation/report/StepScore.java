package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import java.util.List;

/**
 * A model's test scores at one horizon step (1 = the first step after the origin): the error
 * curve over the horizon that a {@link ModelScore} pools.
 *
 * @param intervals the split-conformal intervals' quality at this step, one per level; empty
 *     when the model had no calibration
 * @param upperProvisioning provisioning this step's upper bound of the narrowest interval: what
 *     a decision taken {@code step} steps ahead (a start-up delay) buys; null without intervals
 */
public record StepScore(int step, PointMetrics point, List<IntervalMetrics> intervals,
    ProvisioningOutcome upperProvisioning) {
  public StepScore {
    if (step < 1 || point == null) {
      throw new IllegalArgumentException("a step score needs a step >= 1 and point metrics");
    }
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
  }
}
