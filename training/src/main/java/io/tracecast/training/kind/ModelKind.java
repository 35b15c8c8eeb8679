package io.tracecast.training.kind;

import io.tracecast.training.registry.ModelFamily;
import java.io.Serializable;

/**
 * What a user names in a model list and the registry names as a model: an architecture trained
 * in a scope, {@code <architecture id><scope suffix>} ({@code mlp}, {@code gbt_global},
 * {@code mlp_pattern}, {@code mlp_tuned}). {@link ModelKinds#parse} reads one.
 */
public record ModelKind(Architecture architecture, Scope scope) implements Serializable {
  public ModelKind {
    if (architecture == null || scope == null) {
      throw new IllegalArgumentException("a model kind needs an architecture and a scope");
    }
    if (!architecture.scopes().contains(scope)) {
      throw new IllegalArgumentException("'" + architecture.id() + scope.suffix() + "': "
          + architecture.id() + " is not trained in scope " + scope.label() + " (it is in "
          + architecture.scopes().stream().map(Scope::label).sorted().toList() + ")");
    }
  }

  /** A kind trained per job. */
  public static ModelKind perJob(Architecture architecture) {
    return new ModelKind(architecture, Scope.JOB);
  }

  /** The id, which is also the registry's model name. */
  public String id() {
    return architecture.id() + scope.suffix();
  }

  public ModelFamily family() {
    return architecture.family();
  }

  public InputForm input() {
    return architecture.input();
  }

  /** The network architecture of a network kind. */
  public NetworkArchitecture network() {
    if (!(architecture instanceof NetworkArchitecture n)) {
      throw new IllegalStateException(id() + " is not a network");
    }
    return n;
  }

  /** The same architecture in another scope ({@code mlp_tuned} starts from {@code mlp_pattern}). */
  public ModelKind in(Scope other) {
    return new ModelKind(architecture, other);
  }

  @Override
  public String toString() {
    return id();
  }
}
