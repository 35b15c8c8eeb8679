package io.tracecast.kernels.dense;

import java.util.ArrayList;
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
 * Parameters of {@link FusedDense}, views of the layer's flat parameter row, layer by layer:
 * {@code W<i>} {@code [inputs(i), units(i)]} in f order, then {@code b<i>} {@code [1, units(i)]}.
 * That is DL4J's {@code DefaultParamInitializer} layout of one {@code DenseLayer} ("W" in f
 * order, then "b") repeated, so the flat row equals the concatenation of the DenseLayers' rows,
 * and the initialisation is theirs in their order: the weight init drawn into each W in f order
 * with fan-in inputs(i) and fan-out units(i), then b set to the bias init. A network holding the
 * fused stack holds, from the same seed, the numbers the DenseLayers held, in the same places
 * (FusedDenseTest; evaluation's LegacyInitialisationTest for mlp).
 */
public final class FusedDenseParams implements ParamInitializer {
  static final FusedDenseParams INSTANCE = new FusedDenseParams();
  /**
   * The keys of the first layers, made once: the updater asks {@link #isWeightParam} and
   * {@link #isBiasParam} per parameter and minibatch, and building the strings each time was
   * about 2 % of the layer's samples (bench/README.md, issue 24).
   */
  private static final int CACHED = 8;
  private static final List<String> WEIGHT_KEYS = keys("W", CACHED);
  private static final List<String> BIAS_KEYS = keys("b", CACHED);

  private FusedDenseParams() {}

  private static List<String> keys(String prefix, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(prefix + i);
    }
    return List.copyOf(keys);
  }

  /** The key of layer i's weights. */
  public static String weights(int i) {
    return i < CACHED ? WEIGHT_KEYS.get(i) : "W" + i;
  }

  /** The key of layer i's bias. */
  public static String bias(int i) {
    return i < CACHED ? BIAS_KEYS.get(i) : "b" + i;
  }

  /** Offset of layer i's W in the layer's flat row; its b follows the W. */
  static long weightOffset(FusedDense l, int layer) {
    long from = 0;
    for (int i = 0; i < layer; i++) {
      from += (l.inputs(i) + 1) * l.units(i);
    }
    return from;
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    FusedDense l = (FusedDense) layer;
    return weightOffset(l, l.layers());
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    FusedDense l = (FusedDense) layer;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < l.layers(); i++) {
      keys.add(weights(i));
      keys.add(bias(i));
    }
    return keys;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    int n = ((FusedDense) layer).layers();
    return n <= CACHED ? WEIGHT_KEYS.subList(0, n) : keys("W", n);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    int n = ((FusedDense) layer).layers();
    return n <= CACHED ? BIAS_KEYS.subList(0, n) : keys("b", n);
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return weightKeys(layer).contains(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return biasKeys(layer).contains(key);
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView,
      boolean initializeParams) {
    FusedDense l = (FusedDense) conf.getLayer();
    Map<String, INDArray> params = views(l, paramsView);
    params.keySet().forEach(conf::addVariable);
    if (initializeParams) {
      IWeightInit init = l.getWeightInitFn();
      try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        INDArray row = paramsView.reshape(paramsView.length());
        for (int i = 0; i < l.layers(); i++) {
          // The flat slice, as DefaultParamInitializer hands it: the init fills it in buffer
          // order, which the f-order view W<i> then reads as [inputs, units].
          long from = weightOffset(l, i);
          long size = l.inputs(i) * l.units(i);
          init.init(l.inputs(i), l.units(i), new long[] {l.inputs(i), l.units(i)}, 'f',
              row.get(NDArrayIndex.interval(from, from + size)));
          params.get(bias(i)).assign(l.getBiasInit());
        }
      }
    }
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf,
      INDArray gradientView) {
    return views((FusedDense) conf.getLayer(), gradientView);
  }

  private Map<String, INDArray> views(FusedDense l, INDArray flat) {
    if (flat.length() != numParams(l)) {
      throw new IllegalStateException("FusedDense " + l.getLayerName() + ": expected "
          + numParams(l) + " parameters, got a view of " + flat.length());
    }
    INDArray row = flat.reshape(flat.length());
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < l.layers(); i++) {
      long from = weightOffset(l, i);
      long in = l.inputs(i);
      long u = l.units(i);
      out.put(weights(i), row.get(NDArrayIndex.interval(from, from + in * u)).reshape('f', in, u));
      out.put(bias(i), row.get(NDArrayIndex.interval(from + in * u, from + (in + 1) * u))
          .reshape('c', 1, u));
    }
    return out;
  }
}
