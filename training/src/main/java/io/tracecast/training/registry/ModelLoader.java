package io.tracecast.training.registry;

/**
 * The one loader of the registry contract: any published trained version (a network of any
 * kind, gradient-boosted trees) as a {@link Forecaster}, checksums verified. Which code reads
 * the version's files is the version's architecture's own business
 * ({@link ModelMetadata#architecture()}); evaluate, predict and the ensemble all come here.
 */
public final class ModelLoader {
  private ModelLoader() {}

  public static Forecaster load(ModelRegistry registry, ModelVersion version) {
    ModelMetadata m = registry.metadata(version);
    return m.architecture().load(registry, version, m);
  }
}
