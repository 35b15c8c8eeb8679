package io.tracecast.training.kind.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.ConfigSection;
import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.kind.KindParams;
import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.PanelNetwork;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import io.tracecast.training.network.layer.GraphGruLayer;
import io.tracecast.training.network.layer.GraphGruReadout;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code graph_gru}: every node (series) of a job panel at once: per-step attention adjacency,
 * GCN, GRU per node, learned fusion ({@link GraphGruLayer}). A network is built for a fixed node
 * count: input {@value NetworkBuilder#INPUT} in the {@link PanelTensors} layout, the layer named
 * {@value GraphGruReadout#LAYER}, and a loss layer {@value NetworkBuilder#OUTPUT} with the
 * spec's loss over {@code [batch, nodes * outputs]}, label-masked on absent nodes. Its own
 * hyperparameters: {@code tracecast.train.graph { heads, gcn-layers, top-k }} ({@link Graph}).
 * One network per job graph, so it is not pooled over usage patterns, and tune does not search
 * it yet.
 */
public final class GraphGru extends PanelNetwork {
  private static final long serialVersionUID = 1L;
  /** The configuration block of its hyperparameters (named before kinds had blocks). */
  static final String BLOCK = "graph";

  /**
   * The graph part of a {@code graph_gru} spec.
   *
   * @param heads attention heads; their adjacencies are averaged into one per time step
   * @param gcnLayers graph-convolution layers over that adjacency
   * @param topK fraction in (0, 1] of a node's present neighbours it keeps per time step: it
   *     keeps {@code max(1, ceil(topK * presentNodes))} of them (all, when fewer), plus its
   *     self-loop
   */
  public record Graph(int heads, int gcnLayers, double topK) implements KindParams {
    public static final Graph DEFAULTS = new Graph(4, 4, 0.5);

    public Graph {
      if (heads < 1 || gcnLayers < 1) {
        throw new IllegalArgumentException("graph_gru: heads and gcnLayers must be >= 1, got "
            + heads + ", " + gcnLayers);
      }
      if (!(topK > 0 && topK <= 1)) {
        throw new IllegalArgumentException("graph_gru: topK must be in (0, 1], got " + topK);
      }
    }

    /** Neighbours (self-loop not counted) a node keeps when {@code present} nodes are present. */
    public int neighboursKept(int present) {
      return Math.min(present - 1, Math.max(1,
          (int) Math.ceil(topK * present - GraphGruLayer.TOP_K_CEIL_SLACK)));
    }
  }

  private static final KindParamsForm<Graph> PARAMS = new KindParamsForm<>() {
    @Override
    public Class<Graph> type() {
      return Graph.class;
    }

    @Override
    public Graph defaults() {
      return Graph.DEFAULTS;
    }

    /** {@code graph.heads} and {@code graph.gcn-layers} (>= 1), {@code graph.top-k} in (0, 1]. */
    @Override
    public Graph configure(ConfigSection train) {
      Graph d = Graph.DEFAULTS;
      int heads = (int) (has(train, "heads") ? train.atLeast(BLOCK + ".heads", 1) : d.heads());
      int layers = (int) (has(train, "gcn-layers") ? train.atLeast(BLOCK + ".gcn-layers", 1)
          : d.gcnLayers());
      double topK = d.topK();
      if (has(train, "top-k")) {
        topK = train.config().getDouble(train.path(BLOCK + ".top-k"));
        if (!(topK > 0 && topK <= 1)) {
          throw train.bad(BLOCK + ".top-k", "a value in (0, 1], got " + topK);
        }
      }
      return new Graph(heads, layers, topK);
    }

    /** Specs of graph_gru written before {@code params} held these in {@code graph}. */
    @Override
    public Graph read(JsonNode spec, ObjectMapper json) {
      JsonNode p = spec.path("params").isObject() ? spec.path("params") : spec.path("graph");
      return p.isObject() ? new Graph(p.path("heads").asInt(), p.path("gcnLayers").asInt(),
          p.path("topK").asDouble()) : Graph.DEFAULTS;
    }
  };

  /**
   * One network per job graph, so not pooled over usage patterns; tune does not search it yet.
   * Cost per node-window (panels x nodes): 340 node-windows/s measured for 10-node panels,
   * lookback 12, 8 features, one thread (training/README.md "graph_gru").
   */
  public GraphGru() {
    super("graph_gru", 1, 37, Set.of(Scope.JOB), PARAMS);
  }

  private static boolean has(ConfigSection train, String key) {
    return train.config().hasPath(train.path(BLOCK + "." + key));
  }

  /** Batch 32: a panel is a whole graph, so a batch of 32 holds 32 x nodes windows. */
  @Override
  public ModelSpec defaults() {
    return spec(List.of(32), 0, List.of(), TrainingConfig.adam(1e-3, 32, 100, 10));
  }

  @Override
  protected void check(List<Integer> units, double dropout) {
    if (dropout > 0) {
      throw new IllegalArgumentException(id() + ": takes no dropout, got " + dropout);
    }
  }

  @Override
  public ComputationGraphConfiguration configuration(ModelSpec spec, NetworkShape shape,
      int nodes, DataType dataType) {
    if (nodes < 1) {
      throw new IllegalArgumentException(id() + ": nodes must be >= 1, got " + nodes);
    }
    if (spec.residual() && !shape.targetsAreInputs()) {
      throw new IllegalArgumentException(id() + ": a residual network needs every target "
          + "among the input features, got target positions " + shape.targetFeatures());
    }
    Graph g = spec.params(Graph.class);
    return NetworkBuilder.base(spec.training(), dataType)
        .setInputTypes(InputType.feedForward((long) nodes * PanelTensors.valuesPerNode(shape)))
        .addLayer(GraphGruReadout.LAYER, new GraphGruLayer(shape, nodes,
            spec.stepsSeen(shape.lookback()), spec.units().get(0), spec.outputsPerTarget(),
            spec.residual(), g.heads(), g.gcnLayers(), g.topK()), NetworkBuilder.INPUT)
        .addLayer(NetworkBuilder.OUTPUT, new LossLayer.Builder(NetworkBuilder.loss(spec))
            .activation(Activation.IDENTITY).build(), GraphGruReadout.LAYER)
        .setOutputs(NetworkBuilder.OUTPUT)
        .build();
  }

  @Override
  public int nodes(ComputationGraph network) {
    return GraphGruReadout.nodes(network);
  }

  @Override
  public double[][] meanAdjacency(ComputationGraph network, List<Panel> panels,
      NetworkShape shape) {
    return GraphGruReadout.meanAdjacency(network, panels, shape);
  }
}
