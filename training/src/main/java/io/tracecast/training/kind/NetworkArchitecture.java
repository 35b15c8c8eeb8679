package io.tracecast.training.kind;

import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.ModelFamily;
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

  @Override
  public final ModelFamily family() {
    return ModelFamily.NETWORK;
  }

  /** How many hidden sizes {@link ModelSpec#units()} has (0: none, e.g. {@code linear}). */
  public abstract int unitLayers();

  /** The kind's defaults (and those of the paper behind it), seed included. */
  public abstract ModelSpec defaults();

  /** The kind's own hyperparameters beside the spec's common ones. */
  public abstract KindParamsForm<?> params();

  /**
   * Rejects common hyperparameters that make no sense for the kind (e.g. dropout for a graph
   * network), with a message naming the kind; every spec's constructor calls it.
   */
  protected void check(java.util.List<Integer> units, double dropout) {}

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
    return o instanceof NetworkArchitecture a && a.id().equals(id());
  }

  @Override
  public final int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    return id();
  }

  /** Java serialisation gives back the listed singleton. */
  protected final Object readResolve() {
    return ModelKinds.network(id());
  }
}
