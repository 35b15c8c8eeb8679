package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import io.tracecast.training.registry.ModelFamily;

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
 */
public record ModelScore(String job, String model, ModelFamily family, int version,
    PointMetrics point, QuantileMetrics quantiles, ProvisioningOutcome provisioning,
    double validationMae, double latencyMicrosPerWindow, double windowsPerSecond) {

  public static final String ALL_JOBS = "(all)";

  public ModelScore {
    if (job == null || model == null || family == null || point == null) {
      throw new IllegalArgumentException("a score needs job, model, family and point metrics");
    }
    if (family.trained() != (version > 0)) {
      throw new IllegalArgumentException(model + ": registry models have a version >= 1, "
          + "baselines and ensembles 0; got " + version);
    }
  }

  /** {@code lstm v3} or {@code persistence}: how the model is named in tables and plots. */
  public String label() {
    return family.trained() ? model + " v" + version : model;
  }
}
