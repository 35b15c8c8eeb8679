package io.tracecast.training.config;

import java.util.Optional;

/**
 * {@code tracecast.train.patterns}, typed: how series are grouped into usage patterns.
 *
 * @param k the number of patterns; empty ({@code auto}): the k in [2, kMax] with the best
 *     silhouette
 * @param kMax the largest k tried by {@code auto}; never more than the series count - 1
 * @param seed seed of KMeans' initialisation
 */
public record PatternSettings(Optional<Integer> k, int kMax, long seed) {

  public PatternSettings {
    if (k == null || k.filter(x -> x < 1).isPresent() || kMax < 2) {
      throw new IllegalArgumentException("patterns need k = auto or >= 1 and k-max >= 2, got k "
          + k + ", k-max " + kMax);
    }
  }

  /** As documented in conf/application.conf: k chosen by silhouette up to 6, seed 7. */
  public static PatternSettings defaults() {
    return new PatternSettings(Optional.empty(), 6, 7);
  }
}
