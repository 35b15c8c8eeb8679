package io.tracecast.training.model;

import io.tracecast.etl.dataset.Panel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds {@code graph_gru} networks and reads their learned adjacency. A network is built for a
 * fixed node count (the graph's; a smaller panel of the same graph is padded with masked nodes):
 * input {@value NetworkBuilder#INPUT} in the {@link PanelTensors} layout, one
 * {@link GraphGruLayer} named {@value #LAYER}, and a loss layer {@value NetworkBuilder#OUTPUT}
 * with the spec's loss (MSE or pinball) over {@code [batch, nodes * outputs]}, label-masked on
 * absent nodes. Seed, updater, Xavier, clipping and float32 are {@link NetworkBuilder}'s.
 */
public final class GraphNetworks {
  public static final String LAYER = "graph_gru";

  private GraphNetworks() {}

  public static ComputationGraph build(ModelSpec spec, NetworkShape shape, int nodes) {
    ComputationGraph net = new ComputationGraph(configuration(spec, shape, nodes,
        DataType.FLOAT));
    net.init();
    return net;
  }

  /** {@code dataType}: float32 for training; double only for gradient checks. */
  public static ComputationGraphConfiguration configuration(ModelSpec spec, NetworkShape shape,
      int nodes, DataType dataType) {
    if (!spec.kind().isGraph()) {
      throw new IllegalArgumentException(spec.kind().id() + " is not a graph kind");
    }
    if (nodes < 1) {
      throw new IllegalArgumentException(spec.kind().id() + ": nodes must be >= 1, got " + nodes);
    }
    if (spec.residual() && !shape.targetsAreInputs()) {
      throw new IllegalArgumentException(spec.kind().id() + ": a residual network needs every "
          + "target among the input features, got target positions " + shape.targetFeatures());
    }
    return NetworkBuilder.base(spec.training(), dataType)
        .setInputTypes(InputType.feedForward((long) nodes * PanelTensors.valuesPerNode(shape)))
        .addLayer(LAYER, new GraphGruLayer(spec, shape, nodes), NetworkBuilder.INPUT)
        .addLayer(NetworkBuilder.OUTPUT, new LossLayer.Builder(NetworkBuilder.loss(spec))
            .activation(Activation.IDENTITY).build(), LAYER)
        .setOutputs(NetworkBuilder.OUTPUT)
        .build();
  }

  /** The node count a {@code graph_gru} network was built for. */
  public static int nodes(ComputationGraph net) {
    return layer(net).nodes();
  }

  /**
   * The learned adjacency averaged over the panels and their time steps, {@code [nodes][nodes]}
   * (row i: the weights node i gives its neighbours; a row of a node masked in some panels
   * averages in those panels' zeros). For the report's heat map.
   */
  public static double[][] meanAdjacency(ComputationGraph net, List<Panel> panels,
      NetworkShape shape) {
    GraphGruLayer conf = layer(net);
    int n = conf.nodes();
    double[][] sum = new double[n][n];
    long rows = 0;
    int chunk = 64;
    for (int from = 0; from < panels.size(); from += chunk) {
      List<Panel> part = panels.subList(from, Math.min(panels.size(), from + chunk));
      INDArray a = adjacency(net, conf, PanelTensors.features(part, shape, n));
      INDArray total = a.sum(0);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          sum[i][j] += total.getDouble(i, j);
        }
      }
      rows += a.size(0);
    }
    for (double[] r : sum) {
      for (int j = 0; j < n; j++) {
        r[j] /= Math.max(1, rows);
      }
    }
    return sum;
  }

  /** The adjacency of every (panel, step), {@code [panels * steps, nodes, nodes]}. */
  static INDArray adjacency(ComputationGraph net, INDArray features) {
    return adjacency(net, layer(net), features);
  }

  private static INDArray adjacency(ComputationGraph net, GraphGruLayer conf,
      INDArray features) {
    SameDiff sd = SameDiff.create();
    Map<String, SDVariable> params = new HashMap<>();
    for (Map.Entry<String, INDArray> e : net.getLayer(LAYER).paramTable().entrySet()) {
      params.put(e.getKey(), sd.constant(e.getKey(), e.getValue().dup()));
    }
    SDVariable input = sd.constant("panel", features.castTo(net.params().dataType()));
    return conf.adjacency(sd, conf.steps(sd, input), params).eval();
  }

  private static GraphGruLayer layer(ComputationGraph net) {
    if (net.getConfiguration().getVertices().get(LAYER) instanceof LayerVertex v
        && v.getLayerConf().getLayer() instanceof GraphGruLayer g) {
      return g;
    }
    throw new IllegalArgumentException("not a graph_gru network: no layer " + LAYER);
  }
}
