package io.tracecast.training.kind;

import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.ModelFamily;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A DL4J network architecture: family {@link ModelFamily#NETWORK}, configured by a
 * {@link ModelSpec}. A subclass states its hidden layer count, its defaults and its own
 * hyperparameters; {@link WindowNetwork} and {@link PanelNetwork} add how it is built for its
 * input form. Instances are the singletons {@link ModelKinds} lists; equality is by id, and a
 * deserialised copy (Spark ships specs to executors) resolves to the singleton.
 */
public abstract class NetworkArchitecture implements Architecture {
  private static final long serialVersionUID = 1L;
  private final String id;
  private final int unitLayers;
  private final double costPerWindow;
  private final Set<Scope> scopes;
  private final KindParamsForm<?> params;

  /**
   * What every network kind states, all of it required.
   *
   * @param unitLayers how many hidden sizes {@link ModelSpec#units()} has (0: none)
   * @param costPerWindow see {@link Architecture#costPerWindow()}
   * @param params the kind's own hyperparameters ({@link KindParamsForm#NONE}: none)
   */
  protected NetworkArchitecture(String id, int unitLayers, double costPerWindow,
      Set<Scope> scopes, KindParamsForm<?> params) {
    if (id == null || id.isBlank() || unitLayers < 0 || !(costPerWindow > 0)
        || !scopes.contains(Scope.JOB) || params == null) {
      throw new IllegalArgumentException("a network kind needs an id, unit layers >= 0, a cost "
          + "per window > 0, scope job and its params form; got " + id);
    }
    this.id = id;
    this.unitLayers = unitLayers;
    this.costPerWindow = costPerWindow;
    this.scopes = Set.copyOf(scopes);
    this.params = params;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final ModelFamily family() {
    return ModelFamily.NETWORK;
  }

  @Override
  public final Set<Scope> scopes() {
    return scopes;
  }

  @Override
  public final double costPerWindow() {
    return costPerWindow;
  }

  /** How many hidden sizes {@link ModelSpec#units()} has (0: none, e.g. {@code linear}). */
  public final int unitLayers() {
    return unitLayers;
  }

  /** The kind's defaults (and those of the paper behind it), seed included. */
  public abstract ModelSpec defaults();

  /**
   * A spec of this kind for its {@link #defaults()}: no residual, the whole window, the kind's
   * own hyperparameters at their defaults.
   */
  protected final ModelSpec spec(List<Integer> units, double dropout, List<Double> quantiles,
      TrainingConfig training) {
    return new ModelSpec(this, units, dropout, quantiles, training, false, 0,
        params.defaults());
  }

  /** The kind's own hyperparameters beside the spec's common ones. */
  public final KindParamsForm<?> params() {
    return params;
  }

  /**
   * Rejects common hyperparameters that make no sense for the kind (e.g. dropout for a graph
   * network), with a message naming the kind; every spec's constructor calls it.
   */
  protected void check(List<Integer> units, double dropout) {}

  /** Seeds ND4J's RNG (dropout masks, and initialisation for layers that draw from it). */
  public static void seed(TrainingConfig training) {
    org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(training.seed());
  }

  /**
   * A freshly initialised network for windows of {@code shape} ({@code nodes} per panel for a
   * panel kind, ignored by window kinds), seeded by the spec: the one place networks are built
   * for training.
   */
  public abstract ComputationGraph build(ModelSpec spec, NetworkShape shape, int nodes);

  @Override
  public final boolean equals(Object o) {
    return o instanceof NetworkArchitecture a && a.id().equals(id);
  }

  @Override
  public final int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id;
  }

  /** Java serialisation gives back the listed singleton. */
  protected final Object readResolve() {
    return ModelKinds.network(id);
  }
}
