package io.tracecast.training.kind;

import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.Forecaster;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.WindowForecaster;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A network over one window: the kind supplies its hidden layers ({@link #body}), and
 * {@link NetworkBuilder} puts them between the input (the window, cropped to the spec's
 * {@code lookbackUsed}) and the head every kind shares (output layer, or the residual correction
 * of the last value).
 */
public abstract class WindowNetwork extends NetworkArchitecture {
  private static final long serialVersionUID = 1L;
  /**
   * What a window network can be trained as: per job, pooled over every job of the run or per
   * usage pattern, fine-tuned from its pattern or global network, and searched by {@code tune}.
   */
  protected static final Set<Scope> WINDOW_NETWORK_SCOPES = Set.of(Scope.JOB, Scope.GLOBAL,
      Scope.PATTERN, Scope.TUNED, Scope.GLOBAL_TUNED, Scope.SEARCHED);

  /** A window kind in every window network scope. */
  protected WindowNetwork(String id, int unitLayers, double costPerWindow,
      KindParamsForm<?> params) {
    super(id, unitLayers, costPerWindow, WINDOW_NETWORK_SCOPES, params);
  }

  @Override
  public final InputForm input() {
    return InputForm.WINDOW;
  }

  /** Parameter averaging over minibatches of windows. */
  @Override
  public final boolean dataParallel() {
    return true;
  }

  /**
   * Adds the kind's hidden layers to {@code g} on input {@code in}, a {@code [batch, features,
   * steps]} (NCW) recurrent input of {@code shape} (its lookback is the steps the spec sees);
   * returns the name of the last one, whose output is feed-forward.
   */
  public abstract String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in);

  @Override
  public final ComputationGraph build(ModelSpec spec, NetworkShape shape, int nodes) {
    seed(spec.training());
    return NetworkBuilder.build(spec, shape);
  }

  @Override
  public final Forecaster load(ModelRegistry registry, ModelVersion version,
      ModelMetadata metadata) {
    ComputationGraph network = registry.load(version).network();
    NetworkShape shape = metadata.shape();
    return new WindowForecaster() {
      @Override
      public List<Double> quantiles() {
        return metadata.spec().quantiles();
      }

      @Override
      public float[][] forecast(List<float[]> inputs) {
        return WindowTensors.rows(network.outputSingle(WindowTensors.features(inputs, shape)));
      }
    };
  }
}
