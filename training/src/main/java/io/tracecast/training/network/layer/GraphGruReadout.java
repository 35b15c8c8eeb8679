package io.tracecast.training.network.layer;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a trained {@code graph_gru} network: the node count it was built for and its learned
 * adjacency, recomputed from its own parameters with the layer's rule ({@link GraphAttention}).
 * The network holds one {@link GraphGruLayer} named {@value #LAYER}.
 */
public final class GraphGruReadout {
  /** The vertex name of the layer in every {@code graph_gru} network. */
  public static final String LAYER = "graph_gru";

  private GraphGruReadout() {}

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
  public static INDArray adjacency(ComputationGraph net, INDArray features) {
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
