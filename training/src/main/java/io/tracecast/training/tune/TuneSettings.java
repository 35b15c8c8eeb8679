package io.tracecast.training.tune;

import io.tracecast.training.model.ModelKind;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tracecast.tune}, typed.
 *
 * @param trials trials per (job, kind), the default spec's included
 * @param parallelism trials run at once (Spark tasks in flight)
 * @param pruner the early-termination rule; empty: every trial runs to early stopping
 * @param spaces the search space of every network kind
 */
public record TuneSettings(int trials, int parallelism, Sampler.Kind search, long seed,
    Optional<MedianStopping> pruner, Map<ModelKind, SearchSpace> spaces) {
  /** Suffix of a searched model's registry name, {@code mlp_hpo}: its one home. */
  public static final String MODEL_SUFFIX = "_hpo";

  public TuneSettings {
    spaces = Map.copyOf(spaces);
    if (trials < 1 || parallelism < 1 || search == null || pruner == null) {
      throw new IllegalArgumentException("trials and parallelism >= 1, a search and a pruner "
          + "option are required");
    }
  }

  /** The registry model name of {@code kind}'s searched network, e.g. {@code mlp_hpo}. */
  public static String modelName(ModelKind kind) {
    return kind.id() + MODEL_SUFFIX;
  }

  public SearchSpace space(ModelKind kind) {
    SearchSpace s = spaces.get(kind);
    if (s == null) {
      throw new IllegalArgumentException("no search space for " + kind.id());
    }
    return s;
  }

  public TuneSettings with(int newTrials, int newParallelism, Sampler.Kind newSearch,
      long newSeed) {
    return new TuneSettings(newTrials, newParallelism, newSearch, newSeed, pruner, spaces);
  }
}
