package io.tracecast.kernels.lstm;

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
 * Parameters of {@link FusedLstm}, as c-order views of the layer's flat parameter row, directions
 * stacked (d = 0 forward, 1 backward) so that each direction's block is contiguous:
 * <ul>
 *   <li>{@value #INPUT_WEIGHTS} {@code [directions * nIn, 4 units]}: rows
 *       {@code d*nIn .. (d+1)*nIn} are direction d's input-to-gate weights;</li>
 *   <li>{@value #RECURRENT_WEIGHTS} {@code [directions * units, 4 units]};</li>
 *   <li>{@value #BIAS} {@code [directions, 4 units]}.</li>
 * </ul>
 * Gate columns are ordered input, forget, output (the three sigmoid gates, one contiguous block)
 * then the tanh cell candidate; DL4J's LSTM orders them candidate, forget, output, input.
 * Initialised like DL4J's LSTM: the configured weight init with fan-in {@code units} and fan-out
 * {@code nIn + units}, zero biases except the forget gate's.
 */
public final class FusedLstmParams implements ParamInitializer {
  public static final String INPUT_WEIGHTS = "W";
  public static final String RECURRENT_WEIGHTS = "RW";
  public static final String BIAS = "b";
  static final FusedLstmParams INSTANCE = new FusedLstmParams();
  private static final List<String> KEYS = List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, BIAS);

  private FusedLstmParams() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    FusedLstm l = (FusedLstm) layer;
    long u = l.units();
    return l.directions() * (l.getNIn() * 4 * u + u * 4 * u + 4 * u);
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
    FusedLstm l = (FusedLstm) conf.getLayer();
    Map<String, INDArray> params = views(l, paramsView);
    params.keySet().forEach(conf::addVariable);
    if (initializeParams) {
      long u = l.units();
      long nIn = l.getNIn();
      IWeightInit in = l.getWeightInitFn();
      IWeightInit rec = l.getWeightInitFnRecurrent() != null ? l.getWeightInitFnRecurrent() : in;
      for (int d = 0; d < l.directions(); d++) {
        initialise(in, u, nIn + u, direction(params.get(INPUT_WEIGHTS), l.directions(), d));
        initialise(rec, u, nIn + u, direction(params.get(RECURRENT_WEIGHTS), l.directions(), d));
      }
      INDArray bias = params.get(BIAS);
      bias.assign(0);
      for (int d = 0; d < l.directions(); d++) {
        INDArray row = direction(bias, l.directions(), d).reshape(4 * u);
        row.get(NDArrayIndex.interval(u, 2 * u)).assign(l.getForgetGateBiasInit());
      }
    }
    return params;
  }

  /**
   * Direction d's block of a direction-stacked parameter (or gradient) {@code [dirs * n, cols]}:
   * {@code [n, cols]}, contiguous. Cut from the flat buffer: ND4J 1.0.0-M2.1's 2-D
   * {@code get(interval, all)} on these nested views returned an empty array for d = 1.
   */
  static INDArray direction(INDArray stacked, int dirs, int d) {
    long rows = stacked.size(0) / dirs;
    long n = rows * stacked.size(1);
    return stacked.reshape(stacked.length()).get(NDArrayIndex.interval(d * n, (d + 1) * n))
        .reshape('c', rows, stacked.size(1));
  }

  /** Weight inits fill a whole array; each direction's block gets its own draw. */
  private static void initialise(IWeightInit init, long fanIn, long fanOut, INDArray block) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray fresh = Nd4j.create(block.dataType(), block.shape(), 'c');
      block.assign(init.init(fanIn, fanOut, block.shape(), 'c', fresh));
    }
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf,
      INDArray gradientView) {
    return views((FusedLstm) conf.getLayer(), gradientView);
  }

  private Map<String, INDArray> views(FusedLstm l, INDArray flat) {
    if (flat.length() != numParams(l)) {
      throw new IllegalStateException("FusedLstm " + l.getLayerName() + ": expected "
          + numParams(l) + " parameters, got a view of " + flat.length());
    }
    long dirs = l.directions();
    long u = l.units();
    long[][] shapes = {{dirs * l.getNIn(), 4 * u}, {dirs * u, 4 * u}, {dirs, 4 * u}};
    INDArray row = flat.reshape(flat.length());
    Map<String, INDArray> out = new LinkedHashMap<>();
    long from = 0;
    for (int k = 0; k < KEYS.size(); k++) {
      long n = shapes[k][0] * shapes[k][1];
      out.put(KEYS.get(k), row.get(NDArrayIndex.interval(from, from + n)).reshape('c', shapes[k]));
      from += n;
    }
    return out;
  }
}
