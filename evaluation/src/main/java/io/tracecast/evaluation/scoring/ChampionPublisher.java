package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.CodeVersion;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes a job's champion servable under the champion alias. A network or gradient-boosted
 * champion is a registry version already and is aliased as is. A baseline or ensemble champion is
 * first published as a small version of its own (family, parameters, lineage; no model file):
 * a baseline's parameters are {@link BaselineSet#params}, an ensemble's are its members and how
 * they are combined ({@link EnsembleSpec}). Publishing is idempotent: when the latest version of
 * that (job, model) already holds the same parameters for the same dataset, it is reused.
 */
public final class ChampionPublisher {
  private ChampionPublisher() {}

  public static Champion publish(ModelRegistry registry, Manifest manifest, String dataset,
      Champion c, EvaluationSettings settings, List<EnsembleSpec.Member> ensembleMembers,
      String alias) {
    if (c.family().trained()) {
      registry.setAlias(c.job(), alias, c.model(), c.version());
      return c;
    }
    Map<String, Object> params = c.family() == ModelFamily.BASELINE
        ? BaselineSet.params(c.model(), settings, manifest.stepSeconds())
        : EnsembleSpec.params(ensembleMembers, settings, manifest.stepSeconds());
    int version = reusable(registry, c, manifest, params);
    if (version == 0) {
      ModelMetadata meta = new ModelMetadata(ModelMetadata.SCHEMA_VERSION, c.job(), c.model(),
          null, NetworkShape.of(manifest), manifest.fingerprint(), dataset, manifest.features(),
          manifest.targets(), manifest.scalersOf(c.job()),
          new TrainingHistory(List.of(), 0, 0, 0), CodeVersion.current(), Hardware.detect(),
          Instant.now().toString(), c.family(), params, Lineage.NONE);
      version = registry.publish(c.job(), c.model(), meta, Map.of()).version();
    }
    registry.setAlias(c.job(), alias, c.model(), version);
    return c.published(version);
  }

  /** The latest version of the champion's (job, model) when it holds the same thing, else 0. */
  private static int reusable(ModelRegistry registry, Champion c, Manifest manifest,
      Map<String, Object> params) {
    List<Integer> versions = registry.versions(c.job(), c.model());
    if (versions.isEmpty()) {
      return 0;
    }
    int latest = versions.get(versions.size() - 1);
    ModelMetadata m = registry.metadata(c.job(), c.model(), VersionRef.version(latest));
    boolean same = m.family() == c.family() && manifest.fingerprint().equals(
        m.datasetFingerprint()) && Objects.equals(normalised(m.params()), normalised(params));
    return same ? latest : 0;
  }

  /** Params as JSON would give them back (numbers and nested maps compared by value). */
  private static Object normalised(Object params) {
    return EnsembleSpec.JSON.convertValue(params, Object.class);
  }
}
