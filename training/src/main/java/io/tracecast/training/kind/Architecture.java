package io.tracecast.training.kind;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tracecast.training.registry.Forecaster;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.Serializable;
import java.util.Set;

/**
 * One model architecture, the unit a new forecaster adds: a network body ({@code mlp},
 * {@code graph_gru}, ...) or gradient-boosted trees. It states everything the stages need of it,
 * so nothing outside its class switches on which architecture it is: its id, its registry
 * family, how its input is assembled, the scopes it can be trained in, its cost estimate, its
 * defaults and hyperparameters (the network and tree sub-types), how it is built, and how a
 * published version of it is loaded for scoring. Every architecture is listed once, in
 * {@link ModelKinds}; a user names one with a scope suffix as a {@link ModelKind}.
 */
public interface Architecture extends Serializable {
  /**
   * The id in model lists, configuration keys, specs and (with the scope's suffix) the registry.
   */
  @JsonValue
  String id();

  /** How the registry stores its versions' files. */
  ModelFamily family();

  /** Windows or panels. */
  InputForm input();

  /** The scopes it can be trained in ({@link Scope#JOB} for every architecture). */
  Set<Scope> scopes();

  /**
   * Whether one model can train over every executor (DL4J parameter averaging), which a job or
   * pattern with at least {@code data-parallel-min-windows} train windows then does; otherwise
   * each model trains in one packed task whatever its size.
   */
  boolean dataParallel();

  /**
   * Relative time per train window of one epoch (or boosting pass), {@code mlp} = 1: it orders
   * packed tasks (the longest start first) and turns progress into an ETA, so it must be right
   * in proportion, not in seconds. Measured at the kind's default size, lookback 12, one core.
   */
  double costPerWindow();

  /**
   * A published version of this architecture ready to forecast (checksums verified); the
   * registry's {@link io.tracecast.training.registry.ModelLoader} calls it.
   */
  Forecaster load(ModelRegistry registry, ModelVersion version, ModelMetadata metadata);
}
