package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;

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
public record ModelScore(String job, String model, Family family, int version,
    PointMetrics point, QuantileMetrics quantiles, ProvisioningOutcome provisioning,
    double validationMae, double latencyMicrosPerWindow, double windowsPerSecond) {

  public static final String ALL_JOBS = "(all)";

  /**
   * Where a model comes from: a registry network or gradient-boosted model (versions >= 1), a
   * classical baseline or an ensemble of a job's best candidates (computed here, version 0).
   */
  public enum Family {
    NEURAL, GBT, BASELINE, ENSEMBLE;

    /** Whether the model is a registry version (and so has a version number >= 1). */
    public boolean fromRegistry() {
      return this == NEURAL || this == GBT;
    }
  }

  public ModelScore {
    if (job == null || model == null || family == null || point == null) {
      throw new IllegalArgumentException("a score needs job, model, family and point metrics");
    }
    if (family.fromRegistry() != (version > 0)) {
      throw new IllegalArgumentException(model + ": registry models have a version >= 1, "
          + "baselines and ensembles 0; got " + version);
    }
  }

  /** {@code lstm v3} or {@code persistence}: how the model is named in tables and plots. */
  public String label() {
    return family.fromRegistry() ? model + " v" + version : model;
  }
}
