package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelFamily;
/**
 * The model chosen for a job and why: the candidate of any family (network, gradient-boosted
 * model, ensemble or classical baseline) with the best {@code criterion} value on the validation
 * split (lowest validation MAE by default). It gets the registry alias {@code champion}; a
 * baseline or ensemble champion is first published to the registry as a small version of its
 * own, so {@code predict --alias champion} serves whatever won.
 *
 * @param version the version scored: the registry version of a network or gradient-boosted
 *     model, 0 for a baseline or the ensemble
 * @param registryVersion the registry version the alias points at (a baseline or ensemble
 *     champion gets one when it is published); 0 when not published
 * @param validationVsPersistence the champion's validation MAE over persistence's (NaN if unknown)
 * @param reason a sentence for the report, e.g. "lowest validation MAE (0.0123) of 9 candidates"
 */
public record Champion(String job, String model, ModelFamily family, int version,
    int registryVersion, String criterion, double value, double validationVsPersistence,
    String reason) {

  public Champion {
    if (job == null || model == null || family == null) {
      throw new IllegalArgumentException("a champion needs job, model and family");
    }
  }

  /** The same champion once published to the registry as {@code version}. */
  public Champion published(int newVersion) {
    return new Champion(job, model, family, version, newVersion, criterion, value,
        validationVsPersistence, reason);
  }

  /** How tables name it: {@code cnn v2}, {@code persistence}, {@code ensemble}. */
  public String label() {
    return family.trained() ? model + " v" + version : model;
  }
}
