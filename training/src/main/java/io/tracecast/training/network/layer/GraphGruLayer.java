package io.tracecast.training.network.layer;

import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.ModelOutput;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The whole {@code graph_gru} body and head as one SameDiff layer: panel in
 * ({@link PanelTensors} layout, {@code [batch, nodes * (lookback * features + 1)]}), forecasts
 * out ({@code [batch, nodes * outputs]}, node-major, per node the column layout of
 * {@link WindowTensors}). Per time step t of the (possibly cropped) window:
 * <ol>
 *   <li>adjacency A_t from the nodes' features at t ({@link GraphAttention});
 *   <li>H_0 = x W_in; GCN layers {@code H <- relu(A_t H W_l + b_l) + H}. The skip keeps the
 *       node's own state beside the aggregate: with one feature, the first aggregation would
 *       otherwise fold a node's value and its neighbours' into one number for good;
 *   <li>a GRU over time per node on H_L, batched as batch x nodes sequences ({@link #gru}:
 *       unrolled basic ops, because the fused op's backward pass is wrong in this version);
 *   <li>fusion {@code F = a H_L(last step) + (1 - a) GRU(last state)}, {@code a = sigmoid(p)};
 *   <li>a linear head shared by all nodes; with the residual option plus the node's last
 *       observed target value; masked nodes output 0.
 * </ol>
 * Everything is node-wise or a sum over nodes, so permuting the nodes permutes the forecasts.
 * Batched over (batch x time) and (batch x nodes): no loop over steps or nodes.
 */
public final class GraphGruLayer extends SameDiffLayer {
  private static final long serialVersionUID = 1L;
  /**
   * Taken off {@code topK * present} before the ceiling of the neighbours a node keeps, so that
   * 0.3 x 10 keeps 3 in float arithmetic too (not 4 from 3.0000001).
   */
  public static final double TOP_K_CEIL_SLACK = 1e-4;
  static final String ATT_W1 = "attW1";
  static final String ATT_W2 = "attW2";
  static final String ATT_V = "attV";
  private static final String IN_W = "inW";
  private static final String GCN_W = "gcnW";
  private static final String GCN_B = "gcnB";
  private static final String GRU_W = "gruW";
  private static final String GRU_U = "gruU";
  private static final String GRU_B = "gruB";
  private static final String FUSE = "fuse";
  private static final String OUT_W = "outW";
  private static final String OUT_B = "outB";

  // DL4J stores the layer configuration as JSON (the model file): every field is a property.
  @JsonProperty
  private int nodes;
  @JsonProperty
  private int lookback;
  @JsonProperty
  private int features;
  @JsonProperty
  private int stepsSeen;
  @JsonProperty
  private int units;
  @JsonProperty
  private int heads;
  @JsonProperty
  private int headDim;
  @JsonProperty
  private int gcnLayers;
  @JsonProperty
  private double topK;
  @JsonProperty
  private int outputs;
  /** Input feature added to each output column of a node (residual), or null: no residual. */
  @JsonProperty
  private int[] residualFeatures;

  /** For DL4J's JSON deserialization. */
  private GraphGruLayer() {}

  /**
   * The layer for panels of {@code nodes} nodes of {@code shape}'s windows, seeing the last
   * {@code stepsSeen} steps, {@code units} wide, with {@code outputsPerTarget} columns per
   * (step, target) and, with {@code residual}, each node's last observed target value added.
   *
   * @param heads attention heads, averaged into one adjacency per step
   * @param gcnLayers graph convolutions over that adjacency
   * @param topK fraction of its present neighbours a node keeps per step
   */
  public GraphGruLayer(NetworkShape shape, int nodes, int stepsSeen, int units,
      int outputsPerTarget, boolean residual, int heads, int gcnLayers, double topK) {
    this.nodes = nodes;
    this.lookback = shape.lookback();
    this.features = shape.features();
    this.stepsSeen = stepsSeen;
    this.units = units;
    this.heads = heads;
    // heads split the hidden width, as in multi-head attention (at least 4 dimensions each)
    this.headDim = Math.max(4, units / heads);
    this.gcnLayers = gcnLayers;
    this.topK = topK;
    int q = outputsPerTarget;
    this.outputs = shape.targetLength() * q;
    if (residual) {
      residualFeatures = new int[outputs];
      for (int j = 0; j < shape.targetLength(); j++) {
        for (int i = 0; i < q; i++) {
          residualFeatures[ModelOutput.column(j, i, q)] =
              shape.targetFeatures().get(j % shape.targets());
        }
      }
    }
  }

  /** Values per node in the layer's input: the window, then the mask flag. */
  int perNode() {
    return lookback * features + 1;
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p,
      SDVariable layerMask) {
    int n = nodes;
    int t = stepsSeen;
    Steps in = steps(sd, input);
    SDVariable x = in.window();
    SDVariable mask = in.mask();
    SDVariable steps = in.steps();
    SDVariable adjacency = adjacency(sd, in, p);

    SDVariable h = steps.reshape(-1, features).mmul(p.get(IN_W)).reshape(-1, n, units);
    for (int l = 0; l < gcnLayers; l++) {
      SDVariable mixed = adjacency.mmul(h).reshape(-1, units).mmul(p.get(GCN_W + l))
          .add(p.get(GCN_B + l).reshape(units));
      h = sd.nn().relu(mixed, 0.0).reshape(-1, n, units).add(h);
    }
    SDVariable spatial = h.reshape(-1, t, n, units); // [B, T, N, U]
    // time-major sequences of batch x nodes: [T, B*N, U]
    SDVariable sequences = spatial.permute(1, 0, 2, 3).reshape(t, -1, units);
    SDVariable temporal = gru(sd, sequences, p.get(GRU_W), p.get(GRU_U), p.get(GRU_B));
    SDVariable lastSpatial = spatial.get(SDIndex.all(), SDIndex.interval(t - 1, t),
        SDIndex.all(), SDIndex.all()).reshape(-1, units);
    SDVariable a = sd.nn().sigmoid(p.get(FUSE));
    SDVariable fused = temporal.add(lastSpatial.sub(temporal).mul(a));
    SDVariable out = fused.mmul(p.get(OUT_W)).add(p.get(OUT_B).reshape(outputs));
    if (residualFeatures != null) {
      INDArray select = Nd4j.zeros(input.dataType(), features, outputs);
      for (int c = 0; c < outputs; c++) {
        select.putScalar(residualFeatures[c], c, 1.0);
      }
      SDVariable lastObserved = x.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(t - 1, t),
          SDIndex.all()).reshape(-1, features);
      out = out.add(lastObserved.mmul(sd.constant(select)));
    }
    return out.reshape(-1, n, outputs).mul(mask.reshape(-1, n, 1)).reshape(-1, n * outputs);
  }

  /** The last state of a GRU over {@code sequences} {@code [T, S, U]} ({@link GruSteps}). */
  private SDVariable gru(SameDiff sd, SDVariable sequences, SDVariable w, SDVariable u,
      SDVariable b) {
    return GruSteps.lastState(sd, sequences, stepsSeen, units, units, w, u, b);
  }

  /**
   * The layer input taken apart.
   *
   * @param window {@code [B, N, T, F]} (cropped to the steps seen)
   * @param mask {@code [B, N]}, 1 = present
   * @param steps {@code [B*T, N, F]}: the nodes' features per (sample, step)
   * @param stepMask {@code [B*T, N]}
   */
  record Steps(SDVariable window, SDVariable mask, SDVariable steps, SDVariable stepMask) {}

  Steps steps(SameDiff sd, SDVariable input) {
    int n = nodes;
    int t = stepsSeen;
    int window = lookback * features;
    SDVariable panel = input.reshape(-1, n, perNode());
    // intervals, not points: strided_slice_bp rejects a point index before the last axis here
    SDVariable mask = panel.get(SDIndex.all(), SDIndex.all(),
        SDIndex.interval(window, window + 1)).reshape(-1, n);
    SDVariable x = panel.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, window))
        .reshape(-1, n, lookback, features);
    if (t < lookback) {
      x = x.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(lookback - t, lookback),
          SDIndex.all());
    }
    SDVariable steps = x.permute(0, 2, 1, 3).reshape(-1, n, features);
    // the mask repeated per step: [B, 1, N] x ones [1, T, 1]
    SDVariable stepMask = mask.reshape(-1, 1, n)
        .mul(sd.constant(Nd4j.ones(input.dataType(), 1, t, 1))).reshape(-1, n);
    return new Steps(x, mask, steps, stepMask);
  }

  /** The adjacency of every (sample, step), {@code [B*T, N, N]} ({@link GraphAttention}). */
  SDVariable adjacency(SameDiff sd, Steps in, Map<String, SDVariable> p) {
    return GraphAttention.adjacency(sd, in.steps(), in.stepMask(), p.get(ATT_W1),
        p.get(ATT_W2), p.get(ATT_V), nodes, features, heads, headDim, topK);
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
    params.addWeightParam(ATT_W1, features, (long) heads * headDim);
    params.addWeightParam(ATT_W2, features, (long) heads * headDim);
    params.addWeightParam(ATT_V, heads, headDim);
    params.addWeightParam(IN_W, features, units);
    for (int l = 0; l < gcnLayers; l++) {
      params.addWeightParam(GCN_W + l, units, units);
      params.addBiasParam(GCN_B + l, 1, units);
    }
    params.addWeightParam(GRU_W, units, 3L * units);
    params.addWeightParam(GRU_U, units, 3L * units);
    params.addBiasParam(GRU_B, 1, 3L * units);
    params.addWeightParam(FUSE, 1, 1);
    params.addWeightParam(OUT_W, units, outputs);
    params.addBiasParam(OUT_B, 1, outputs);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      for (Map.Entry<String, INDArray> e : params.entrySet()) {
        INDArray w = e.getValue();
        String name = e.getKey();
        if (name.equals(FUSE) || name.startsWith(GCN_B) || name.equals(GRU_B)
            || name.equals(OUT_B)) {
          w.assign(0); // biases, and the fusion logit: a = 0.5 at the start
        } else {
          WeightInit.XAVIER.getWeightInitFunction().init(w.size(0), w.size(1), w.shape(), 'c',
              w);
        }
      }
    }
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward((long) nodes * outputs);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    long expected = (long) nodes * perNode();
    if (!(inputType instanceof InputType.InputTypeFeedForward f) || f.getSize() != expected) {
      throw new IllegalArgumentException("graph_gru over " + nodes + " nodes needs feed-forward "
          + "input of " + expected + " values (PanelTensors), got " + inputType);
    }
  }

  int nodes() {
    return nodes;
  }
}
