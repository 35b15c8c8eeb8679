package io.tracecast.training.kind;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.Map;

/**
 * A network kind's own hyperparameters, beside what every {@link ModelSpec} has: a record the
 * kind defines and validates (e.g. {@code cnn}'s convolution, {@code graph_gru}'s attention
 * heads), written into a spec's JSON as {@code params}. A hyperparameter of one kind is a
 * component of that kind's record, not of every spec.
 */
public interface KindParams extends Serializable {
  /** A kind without hyperparameters of its own. */
  None NONE = new None();

  /** No hyperparameters; written as {@code {}}. */
  record None() implements KindParams {
    @JsonValue
    Map<String, Object> json() {
      return Map.of();
    }
  }
}
