package io.tracecast.kernels.conv;

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
 * Parameters of {@link FusedConv1d}, c-order views of the layer's flat parameter row in this
 * order:
 * <ul>
 *   <li>{@value #BIAS} {@code [filters]};</li>
 *   <li>{@value #WEIGHTS} {@code [filters, nIn, kernel, 1]} by its declared shape; but DL4J's
 *   {@code Convolution1DLayer} reads its buffer as libnd4j's conv1d weights
 *   {@code [kernel, nIn, filters]}: element {@code (j * nIn + c) * filters + o} of the buffer is
 *   the weight of input channel c at kernel offset j in filter o (found by probing DL4J's layer
 *   with one-hot weights; {@code FusedConv1dTest} pins it). This layer reads it the same way, so
 *   parameters move between the two layers as they are.</li>
 * </ul>
 * This is the layout (names, order, shapes, c order) of DL4J's {@code Convolution1DLayer}
 * ({@code ConvolutionParamInitializer}), and so is the initialisation: the bias set to the
 * layer's bias init, then the weight init drawn into W with fan-in {@code nIn * kernel^2} and
 * fan-out {@code filters * kernel^2}. The squares are DL4J's: its 1-D layer keeps the kernel
 * size as {@code [kernel, kernel]} and its initialiser multiplies both (for Xavier, weights
 * {@code 1/sqrt(kernel)} of what the true fans would give); kept so that both layers start from
 * the same numbers with the same seed ({@code FusedConv1dTest}).
 */
public final class FusedConv1dParams implements ParamInitializer {
  public static final String BIAS = "b";
  public static final String WEIGHTS = "W";
  static final FusedConv1dParams INSTANCE = new FusedConv1dParams();
  private static final List<String> KEYS = List.of(WEIGHTS, BIAS);

  private FusedConv1dParams() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    FusedConv1d l = (FusedConv1d) layer;
    return l.getNOut() * (l.getNIn() * l.getKernel() + 1);
  }

  /** W then b, DL4J's convolution's keys (its flat view and parameter table hold b first). */
  @Override
  public List<String> paramKeys(Layer layer) {
    return KEYS;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return KEYS.subList(0, 1);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return KEYS.subList(1, 2);
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return WEIGHTS.equals(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return BIAS.equals(key);
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView,
      boolean initializeParams) {
    FusedConv1d l = (FusedConv1d) conf.getLayer();
    Map<String, INDArray> params = views(l, paramsView);
    // DL4J's order of registration, which fixes the order of the network's parameter table.
    conf.addVariable(WEIGHTS);
    conf.addVariable(BIAS);
    if (initializeParams) {
      try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        params.get(BIAS).assign(l.getBiasInit());
        INDArray w = params.get(WEIGHTS);
        IWeightInit init = l.getWeightInitFn();
        double area = (double) l.getKernel() * l.getKernel();
        init.init(l.getNIn() * area, l.getNOut() * area, w.shape(), 'c', w);
      }
    }
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf,
      INDArray gradientView) {
    return views((FusedConv1d) conf.getLayer(), gradientView);
  }

  private Map<String, INDArray> views(FusedConv1d l, INDArray flat) {
    if (flat.length() != numParams(l)) {
      throw new IllegalStateException("FusedConv1d " + l.getLayerName() + ": expected "
          + numParams(l) + " parameters, got a view of " + flat.length());
    }
    long filters = l.getNOut();
    INDArray row = flat.reshape(flat.length());
    Map<String, INDArray> out = new LinkedHashMap<>();
    // DL4J's parameter table order: b, then W (its updater blocks follow the table).
    out.put(BIAS, row.get(NDArrayIndex.interval(0, filters)));
    out.put(WEIGHTS, row.get(NDArrayIndex.interval(filters, flat.length()))
        .reshape('c', filters, l.getNIn(), l.getKernel(), 1));
    return out;
  }
}
