package io.tracecast.kernels.gru;

import io.tracecast.kernels.layer.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GRU over a whole sequence that returns its last hidden state {@code [batch, units]}
 * (feed-forward), built for per-core training speed like {@code FusedLstm}: the input-to-gate
 * products of all time steps are one GEMM (plus one for the bias), each step issues one
 * recurrent GEMM (forward and backward) and a few loops of float maths on the heap, and the
 * weight gradients and the input epsilon are one GEMM each over all steps. DL4J 1.0.0-M2.1 has
 * no GRU layer for networks, and libnd4j's fused {@code gru} op computes wrong weight gradients
 * (training's {@code GruLayer}, a SameDiff layer over basic ops, ran at about a tenth of
 * PyTorch's speed per core; see bench/README.md, issue 24).
 *
 * <p>The maths (training's {@code GruSteps}): {@code r = sig(x Wr + h Ur + br)},
 * {@code u = sig(x Wu + h Uu + bu)}, {@code c = tanh(x Wc + r * (h Uc) + bc)},
 * {@code h' = u * h + (1 - u) * c}, h0 = 0; the reset gate is applied after the recurrent
 * product, as libnd4j's fused op does. Parameters: {@link FusedGruParams}, the layout of
 * {@code GruLayer}, so versions trained with either hold the same numbers in the same places.
 *
 * <p>Input: the layer's {@code rnnDataFormat} (NCW by default). Masks are not supported
 * (dataset windows always have the full lookback), and neither is stored-state stepping.
 */
public class FusedGru extends BaseRecurrentLayer {
  private static final long serialVersionUID = 1L;

  /**
   * Whether backprop computes the epsilon of the layer's input: off for a layer fed by the
   * network's input (through parameterless layers only), whose epsilon DL4J drops. Off,
   * backprop returns zeros in its place.
   */
  private boolean inputEpsilon = true;

  /** For DL4J's JSON deserialization. */
  public FusedGru() {}

  private FusedGru(Builder b) {
    super(b);
    this.nOut = b.units;
    this.inputEpsilon = b.inputEpsilon;
    initializeConstraints(b);
  }

  /** The output: the last hidden state, one row of {@code nOut} units per example. */
  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeRecurrent)) {
      throw new IllegalArgumentException("FusedGru " + getLayerName()
          + ": needs recurrent input, got " + inputType);
    }
    return InputType.feedForward(nOut);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    if (nIn <= 0 || nOut <= 0) {
      throw new IllegalStateException("FusedGru " + getLayerName() + ": nIn " + nIn
          + " and nOut " + nOut + " must be positive");
    }
    return LayerWiring.wire(new FusedGruLayer(conf, networkDataType), conf, trainingListeners,
        layerIndex, layerParamsView, initializeParams, initializer());
  }

  @Override
  public ParamInitializer initializer() {
    return FusedGruParams.INSTANCE;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    long params = initializer().numParams(this);
    // Per example and step, in units of nOut values (FloatGruCells' heap arrays and the native
    // step buffers, kept with the layer): 18 gate, state and gradient arrays, the [3 nOut]
    // projection and its native copy, the native hidden state and recurrent gradient (3 + 1 + 3).
    long perExample = 28L * nOut * ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength();
    return new LayerMemoryReport.Builder(getLayerName(), FusedGru.class, inputType, out)
        .standardMemory(params, 2 * params)
        .workingMemory(0, perExample, 0, perExample)
        .cacheMemory(0, 0)
        .build();
  }

  public boolean isInputEpsilon() {
    return inputEpsilon;
  }

  public void setInputEpsilon(boolean inputEpsilon) {
    this.inputEpsilon = inputEpsilon;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedGru f && super.equals(o) && f.inputEpsilon == inputEpsilon;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Boolean.hashCode(inputEpsilon);
  }

  /** {@code new FusedGru.Builder().units(50).build()}. */
  public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
    private int units;
    private boolean inputEpsilon = true;

    /** Hidden units. */
    public Builder units(int units) {
      this.units = units;
      return this;
    }

    /** False for a layer fed by the network input: see {@link FusedGru#isInputEpsilon}. */
    public Builder inputEpsilon(boolean compute) {
      this.inputEpsilon = compute;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FusedGru build() {
      if (units <= 0) {
        throw new IllegalArgumentException("FusedGru: units must be positive, got " + units);
      }
      return new FusedGru(this);
    }
  }
}
