package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.metric.PointMetrics;
import java.util.List;

/**
 * A model's test scores at one horizon step (1 = the first step after the origin): the error
 * curve over the horizon that a {@link ModelScore} pools.
 *
 * @param intervals the split-conformal intervals' quality at this step, one per level; empty
 *     when the model had no calibration
 */
public record StepScore(int step, PointMetrics point, List<IntervalMetrics> intervals) {
  public StepScore {
    if (step < 1 || point == null) {
      throw new IllegalArgumentException("a step score needs a step >= 1 and point metrics");
    }
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
  }
}
