package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import io.tracecast.training.registry.ModelFamily;
import java.util.List;

/**
 * One row of a comparison table: a model (neural, from the registry, or a classical baseline)
 * scored on the test split of one job, in original units. {@code job} is {@link #ALL_JOBS} for
 * the pooled score over every job.
 *
 * @param version the registry version scored; 0 for baselines
 * @param quantiles null for point forecasters
 * @param validationMae MAE on the validation split in original units (the champion criterion);
 *     NaN when not computed
 * @param latencyMicrosPerWindow wall time of inference per window, batch scoring included
 * @param windowsPerSecond inference throughput of one task
 * @param intervals the split-conformal intervals' quality pooled over steps, one per level;
 *     empty without calibration
 * @param steps the scores per horizon step, ascending (one entry for a one-step dataset)
 * @param foldMae test MAE per backtest fold, oldest first (NaN for a fold without points);
 *     empty without a backtest
 */
public record ModelScore(String job, String model, ModelFamily family, int version,
    PointMetrics point, QuantileMetrics quantiles, ProvisioningOutcome provisioning,
    double validationMae, double latencyMicrosPerWindow, double windowsPerSecond,
    List<IntervalMetrics> intervals, List<StepScore> steps, List<Double> foldMae) {

  public static final String ALL_JOBS = "(all)";

  /** A score without intervals or a per-step breakdown. */
  public ModelScore(String job, String model, ModelFamily family, int version,
      PointMetrics point, QuantileMetrics quantiles, ProvisioningOutcome provisioning,
      double validationMae, double latencyMicrosPerWindow, double windowsPerSecond) {
    this(job, model, family, version, point, quantiles, provisioning, validationMae,
        latencyMicrosPerWindow, windowsPerSecond, List.of(), List.of(), List.of());
  }

  public ModelScore {
    if (job == null || model == null || family == null || point == null) {
      throw new IllegalArgumentException("a score needs job, model, family and point metrics");
    }
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
    steps = steps == null ? List.of() : List.copyOf(steps);
    foldMae = foldMae == null ? List.of() : List.copyOf(foldMae);
    if (family.trained() != (version > 0)) {
      throw new IllegalArgumentException(model + ": registry models have a version >= 1, "
          + "baselines and ensembles 0; got " + version);
    }
  }

  /** The interval metrics of {@code level}, or null when the model has none at that level. */
  public IntervalMetrics interval(double level) {
    return IntervalMetrics.at(intervals, level);
  }

  /** {@code lstm v3} or {@code persistence}: how the model is named in tables and plots. */
  public String label() {
    return family.trained() ? model + " v" + version : model;
  }
}
