package io.tracecast.training.pattern;

import io.tracecast.training.model.ModelKind;
import java.util.Locale;
import java.util.Optional;

/**
 * The pooled network variants, requested as {@code <kind>_pattern} and {@code <kind>_tuned}
 * beside the plain kinds ({@code --models mlp,mlp_pattern,mlp_tuned}). The one home of their
 * registry model names.
 */
public enum PooledKind {
  /** One network per usage pattern over its member jobs' windows, published per member job. */
  PATTERN,
  /** A job's pattern network fine-tuned on the job's own windows (never worse on validation). */
  TUNED;

  /** {@code _pattern} or {@code _tuned}. */
  public String suffix() {
    return "_" + name().toLowerCase(Locale.ROOT);
  }

  /** The registry model name of this variant of {@code kind}, e.g. {@code mlp_pattern}. */
  public String modelName(ModelKind kind) {
    return kind.id() + suffix();
  }

  /**
   * The network kind {@code id} names with this variant's suffix; empty when {@code id} does not
   * end with it.
   *
   * @throws IllegalArgumentException when the part before the suffix is not a network kind
   */
  public Optional<ModelKind> networkOf(String id) {
    String s = id.trim().toLowerCase(Locale.ROOT);
    if (!s.endsWith(suffix())) {
      return Optional.empty();
    }
    ModelKind kind = ModelKind.fromId(s.substring(0, s.length() - suffix().length()));
    if (kind.isGraph()) {
      // pooling is over series of many jobs; a graph model is over one job's series already
      throw new IllegalArgumentException("'" + id + "': a graph kind is not pooled over usage "
          + "patterns (it trains one network per job over the job's series)");
    }
    return Optional.of(kind);
  }
}
