package io.tracecast.training.kind;

import java.util.Locale;

/**
 * Which series a model is trained on and published for: the suffix of a model kind's id
 * ({@code mlp}, {@code gbt_global}, {@code mlp_pattern}). The one home of those suffixes.
 */
public enum Scope {
  /** One model per job, on the job's own windows or panels ({@code mlp}, {@code gbt}). */
  JOB(""),
  /** One model over the windows of every job of the run, published under each job. */
  GLOBAL("_global"),
  /**
   * One model per usage pattern over its member jobs' windows, published under each member
   * (patterns from {@code tracecast.train.patterns}).
   */
  PATTERN("_pattern"),
  /**
   * A job's pattern network fine-tuned on the job's own windows, kept only where it is no worse
   * on validation than the pattern network it started from.
   */
  TUNED("_tuned"),
  /**
   * A job's global network fine-tuned on the job's own windows, kept only where it is no worse
   * on validation than the global network it started from (DeepAR/N-BEATS-style global
   * training with a local finish).
   */
  GLOBAL_TUNED("_global_tuned"),
  /** The winner of a hyperparameter search per job; written by {@code tracecast tune}. */
  SEARCHED("_hpo");

  private final String suffix;

  Scope(String suffix) {
    this.suffix = suffix;
  }

  /**
   * The pooled scope whose networks a fine-tuned scope starts from ({@link #PATTERN} for
   * {@link #TUNED}, {@link #GLOBAL} for {@link #GLOBAL_TUNED}); null for the others.
   */
  public Scope fineTunedFrom() {
    return switch (this) {
      case TUNED -> PATTERN;
      case GLOBAL_TUNED -> GLOBAL;
      default -> null;
    };
  }

  /** Whether a kind of this scope trains in {@code pool}, or is fine-tuned from it. */
  public boolean trainsFrom(Scope pool) {
    return this == pool || fineTunedFrom() == pool;
  }

  /**
   * {@code ""}, {@code _global}, {@code _pattern}, {@code _tuned}, {@code _global_tuned} or
   * {@code _hpo}.
   */
  public String suffix() {
    return suffix;
  }

  /** Whether {@code train} trains models of this scope ({@link #SEARCHED} is tune's). */
  public boolean trainable() {
    return this != SEARCHED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
