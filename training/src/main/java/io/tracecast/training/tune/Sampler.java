package io.tracecast.training.tune;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Proposes the next trial's hyperparameters from the trials finished so far. */
public interface Sampler {
  /**
   * @param finished every finished trial known now (failed ones included; a sampler learns from
   *     {@link Trial#scored()} ones only), in any order
   * @param rnd this proposal's random source (seeded per trial number, so a run is repeatable)
   * @return a value for every dimension of {@code space}
   */
  Map<String, Object> propose(SearchSpace space, List<Trial> finished, Random rnd);

  /** {@code tpe} or {@code random}, as in {@code --search}. */
  enum Kind {
    TPE, RANDOM;

    public Sampler create() {
      return this == TPE ? new TpeSampler() : new RandomSampler();
    }

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind fromId(String id) {
      for (Kind k : values()) {
        if (k.id().equalsIgnoreCase(id.trim())) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown search '" + id + "', expected tpe or random");
    }
  }
}
