package io.tracecast.kernels.gru;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link FusedGru}, c-order views of the layer's flat parameter row in this order:
 * <ul>
 *   <li>{@value #INPUT_WEIGHTS} {@code [nIn, 3 units]};</li>
 *   <li>{@value #RECURRENT_WEIGHTS} {@code [units, 3 units]};</li>
 *   <li>{@value #BIAS} {@code [1, 3 units]}.</li>
 * </ul>
 * Gate columns are ordered reset, update, candidate. This is the layout (names, order, shapes,
 * c order) of training's SameDiff {@code GruLayer}, and so is the initialisation: the weight init
 * (the network's, Xavier for every tracecast network) drawn straight into W with fan-in nIn and
 * fan-out 3 units, then into U with fan-in units and fan-out 3 units, zero biases. With the same
 * seed both layers start from the same numbers (evaluation's LegacyInitialisationTest).
 */
public final class FusedGruParams implements ParamInitializer {
  public static final String INPUT_WEIGHTS = "W";
  public static final String RECURRENT_WEIGHTS = "U";
  public static final String BIAS = "b";
  static final FusedGruParams INSTANCE = new FusedGruParams();
  private static final List<String> KEYS = List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, BIAS);

  private FusedGruParams() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    FusedGru l = (FusedGru) layer;
    long n = l.getNOut();
    return (l.getNIn() + n + 1) * 3 * n;
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return KEYS;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return KEYS.subList(0, 2);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return KEYS.subList(2, 3);
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return INPUT_WEIGHTS.equals(key) || RECURRENT_WEIGHTS.equals(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return BIAS.equals(key);
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView,
      boolean initializeParams) {
    FusedGru l = (FusedGru) conf.getLayer();
    Map<String, INDArray> params = views(l, paramsView);
    params.keySet().forEach(conf::addVariable);
    if (initializeParams) {
      long n = l.getNOut();
      IWeightInit in = l.getWeightInitFn();
      IWeightInit rec = l.getWeightInitFnRecurrent() != null ? l.getWeightInitFnRecurrent() : in;
      try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        INDArray w = params.get(INPUT_WEIGHTS);
        INDArray u = params.get(RECURRENT_WEIGHTS);
        in.init(l.getNIn(), 3.0 * n, w.shape(), 'c', w);
        rec.init(n, 3.0 * n, u.shape(), 'c', u);
        params.get(BIAS).assign(0);
      }
    }
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf,
      INDArray gradientView) {
    return views((FusedGru) conf.getLayer(), gradientView);
  }

  private Map<String, INDArray> views(FusedGru l, INDArray flat) {
    if (flat.length() != numParams(l)) {
      throw new IllegalStateException("FusedGru " + l.getLayerName() + ": expected "
          + numParams(l) + " parameters, got a view of " + flat.length());
    }
    long n = l.getNOut();
    long[][] shapes = {{l.getNIn(), 3 * n}, {n, 3 * n}, {1, 3 * n}};
    INDArray row = flat.reshape(flat.length());
    Map<String, INDArray> out = new LinkedHashMap<>();
    long from = 0;
    for (int k = 0; k < KEYS.size(); k++) {
      long size = shapes[k][0] * shapes[k][1];
      out.put(KEYS.get(k),
          row.get(NDArrayIndex.interval(from, from + size)).reshape('c', shapes[k]));
      from += size;
    }
    return out;
  }
}
