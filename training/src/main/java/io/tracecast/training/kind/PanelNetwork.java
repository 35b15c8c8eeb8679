package io.tracecast.training.kind;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.Forecaster;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.PanelForecaster;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A network over a job panel (every node's window at one origin, {@link PanelTensors}), built
 * for a fixed node count: a smaller panel of the same graph is padded with masked nodes.
 */
public abstract class PanelNetwork extends NetworkArchitecture {
  private static final long serialVersionUID = 1L;

  protected PanelNetwork(String id, int unitLayers, double costPerWindow, Set<Scope> scopes,
      KindParamsForm<?> params) {
    super(id, unitLayers, costPerWindow, scopes, params);
  }

  @Override
  public final InputForm input() {
    return InputForm.PANEL;
  }

  /** A graph network trains in one task on its job's panels, whatever the job's size. */
  @Override
  public final boolean dataParallel() {
    return false;
  }

  /** {@code dataType}: float32 for training; double only for gradient checks. */
  public abstract ComputationGraphConfiguration configuration(ModelSpec spec, NetworkShape shape,
      int nodes, DataType dataType);

  /** The node count a network of this kind was built for. */
  public abstract int nodes(ComputationGraph network);

  /**
   * The learned adjacency averaged over the panels and their time steps, {@code [nodes][nodes]}
   * (row i: the weights node i gives its neighbours), for the report's heat map.
   */
  public abstract double[][] meanAdjacency(ComputationGraph network, List<Panel> panels,
      NetworkShape shape);

  @Override
  public final ComputationGraph build(ModelSpec spec, NetworkShape shape, int nodes) {
    seed(spec.training());
    ComputationGraph net = new ComputationGraph(configuration(spec, shape, nodes,
        DataType.FLOAT));
    net.init();
    return net;
  }

  @Override
  public final Forecaster load(ModelRegistry registry, ModelVersion version,
      ModelMetadata metadata) {
    ComputationGraph network = registry.load(version).network();
    NetworkShape shape = metadata.shape();
    int nodes = nodes(network);
    return new PanelForecaster() {
      @Override
      public List<Double> quantiles() {
        return metadata.spec().quantiles();
      }

      @Override
      public int nodes() {
        return nodes;
      }

      @Override
      public float[][] forecast(List<Panel> panels) {
        return WindowTensors.rows(network.outputSingle(PanelTensors.features(panels, shape,
            nodes)));
      }

      @Override
      public double[][] meanAdjacency(List<Panel> panels) {
        return PanelNetwork.this.meanAdjacency(network, panels, shape);
      }
    };
  }
}
