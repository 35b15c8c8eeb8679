package io.tracecast.training.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What kind of fitted thing a registry version holds, which decides how its files are read:
 * a DL4J network ({@code model.zip}), gradient-boosted trees (XGBoost boosters), a baseline
 * (fitted parameters in the metadata's {@code params}, maybe no file at all) or an ensemble (its
 * members in {@code params}). Written as the lower-case {@link #id()} in {@code metadata.json};
 * metadata written before families existed has none and is a network.
 */
public enum ModelFamily {
  NETWORK,
  GBT,
  BASELINE,
  ENSEMBLE,
  /**
   * An autoscaling policy (an actor network that sets capacity, evaluation's
   * {@code LearnedPolicy}); not a forecaster: nothing scores it as one.
   */
  POLICY;

  /**
   * Whether versions of this family are trained by the training stage (networks, trees) rather
   * than built by evaluation from a spec (baselines, ensembles); trained ones are versions
   * >= 1 wherever they are scored.
   */
  public boolean trained() {
    return this == NETWORK || this == GBT;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ModelFamily fromId(String id) {
    for (ModelFamily f : values()) {
      if (f.id().equalsIgnoreCase(id.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown model family '" + id + "', expected one of "
        + Arrays.stream(values()).map(ModelFamily::id).toList());
  }
}
