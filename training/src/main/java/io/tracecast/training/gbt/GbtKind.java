package io.tracecast.training.gbt;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The gradient-boosted-trees kinds, requested beside the network kinds ({@code --models
 * mlp,gbt,gbt_global,gbt_pattern}). The {@link #id()} is also the registry's model name.
 */
public enum GbtKind {
  /** One model per job, trained in that job's packed Spark task with xgboost4j. */
  GBT,
  /** One model over the train windows of all jobs, published under every job. */
  GBT_GLOBAL,
  /**
   * One model per usage pattern over its member jobs' windows, published under each member
   * job (patterns from {@code tracecast.train.patterns}).
   */
  GBT_PATTERN;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind {@code id} names (case-insensitive), or empty when it is not a GBT kind. */
  public static Optional<GbtKind> fromId(String id) {
    return Arrays.stream(values()).filter(k -> k.id().equalsIgnoreCase(id.trim())).findFirst();
  }
}
