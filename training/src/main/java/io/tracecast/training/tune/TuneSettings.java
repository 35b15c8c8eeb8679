package io.tracecast.training.tune;

import io.tracecast.training.kind.NetworkArchitecture;
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
    Optional<MedianStopping> pruner, Map<NetworkArchitecture, SearchSpace> spaces) {
  public TuneSettings {
    spaces = Map.copyOf(spaces);
    if (trials < 1 || parallelism < 1 || search == null || pruner == null) {
      throw new IllegalArgumentException("trials and parallelism >= 1, a search and a pruner "
          + "option are required");
    }
  }

  public SearchSpace space(NetworkArchitecture kind) {
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
