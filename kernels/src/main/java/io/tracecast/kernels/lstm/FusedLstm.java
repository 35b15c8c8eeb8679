package io.tracecast.kernels.lstm;

import io.tracecast.kernels.layer.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An LSTM layer (no peepholes, sigmoid gates, tanh cell) that runs one direction or both
 * directions of a sequence in one layer, built for per-core training speed: the input-to-gate
 * products of all time steps are one GEMM per direction, each step issues only the recurrent GEMM
 * and a handful of element-wise ops that cover both directions at once, and the weight gradients
 * and the input epsilon are one GEMM each per direction over all steps. DL4J 1.0.0-M2.1's
 * {@code LSTM} (wrapped in {@code Bidirectional}) issues about a dozen small ops per step and
 * direction and, with cache mode NONE, runs the forward pass twice per iteration; see
 * bench/README.md, issue 11.
 *
 * <p>Input: the layer's {@code rnnDataFormat} (NCW by default). Output: {@code [batch, nOut,
 * time]} (NCW) or {@code [batch, time, nOut]} (NWC), by default the input's format, where
 * {@code nOut} is {@code units * directions}, the forward direction's units first, like
 * {@code Bidirectional(CONCAT, LSTM(units))}. Between two of these layers NWC is the cheap
 * layout: each step's hidden state of one example is a contiguous row there, so the layout
 * changes are row copies instead of the strided gathers NCW needs (bench/README.md, issue 11). Parameters and gate order: see
 * {@link FusedLstmParams}. Masks are not supported (dataset windows always have the full
 * lookback), and neither is stored-state stepping ({@code rnnTimeStep}) or truncated BPTT.
 */
public class FusedLstm extends BaseRecurrentLayer {
  private static final long serialVersionUID = 1L;

  private boolean bidirectional;
  private double forgetGateBiasInit = 1.0;
  /** Null: the input's format (configurations saved before this field existed). */
  private RNNFormat outputFormat;
  /**
   * Whether backprop computes the epsilon of the layer's input. Off for a layer whose input is
   * the network's (through parameterless layers only): DL4J computes that epsilon and drops it,
   * and it cost about 4 % of a bilstm_attention minibatch (bench/README.md, issue 11, round 4).
   * Off, backprop returns zeros in its place.
   */
  private boolean inputEpsilon = true;

  /** For DL4J's JSON deserialization. */
  public FusedLstm() {}

  private FusedLstm(Builder b) {
    super(b);
    this.bidirectional = b.bidirectional;
    this.forgetGateBiasInit = b.forgetGateBiasInit;
    this.outputFormat = b.outputFormat;
    this.inputEpsilon = b.inputEpsilon;
    this.nOut = (long) b.units * directions();
    initializeConstraints(b);
  }

  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** Hidden units per direction. */
  public long units() {
    return nOut / directions();
  }

  /** The format of the output and of the epsilon backward receives. */
  public RNNFormat outputFormat() {
    return outputFormat == null ? getRnnDataFormat() : outputFormat;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    InputType.InputTypeRecurrent r =
        (InputType.InputTypeRecurrent) super.getOutputType(layerIndex, inputType);
    return InputType.recurrent(r.getSize(), r.getTimeSeriesLength(), outputFormat());
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    if (nIn <= 0 || nOut <= 0 || nOut % directions() != 0) {
      throw new IllegalStateException("FusedLstm " + getLayerName() + ": nIn " + nIn + ", nOut "
          + nOut + " (units x " + directions() + " directions) must be positive");
    }
    return LayerWiring.wire(new FusedLstmLayer(conf, networkDataType), conf, trainingListeners,
        layerIndex, layerParamsView, initializeParams, initializer());
  }

  @Override
  public ParamInitializer initializer() {
    return FusedLstmParams.INSTANCE;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    long params = initializer().numParams(this);
    // Per example and step, kept from forward for backward: gate pre-activations and
    // activations (2 x 4 units), cell state, tanh(cell) and hidden state, per direction.
    long perExample = 11L * nOut * ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength();
    return new LayerMemoryReport.Builder(getLayerName(), FusedLstm.class, inputType, out)
        .standardMemory(params, 2 * params)
        .workingMemory(0, perExample, 0, perExample)
        .cacheMemory(0, 0)
        .build();
  }

  public boolean isBidirectional() {
    return bidirectional;
  }

  public void setBidirectional(boolean bidirectional) {
    this.bidirectional = bidirectional;
  }

  public double getForgetGateBiasInit() {
    return forgetGateBiasInit;
  }

  public void setForgetGateBiasInit(double forgetGateBiasInit) {
    this.forgetGateBiasInit = forgetGateBiasInit;
  }

  public boolean isInputEpsilon() {
    return inputEpsilon;
  }

  public void setInputEpsilon(boolean inputEpsilon) {
    this.inputEpsilon = inputEpsilon;
  }

  public RNNFormat getOutputFormat() {
    return outputFormat;
  }

  public void setOutputFormat(RNNFormat outputFormat) {
    this.outputFormat = outputFormat;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedLstm f && super.equals(o) && f.bidirectional == bidirectional
        && f.forgetGateBiasInit == forgetGateBiasInit && f.outputFormat() == outputFormat()
        && f.inputEpsilon == inputEpsilon;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Boolean.hashCode(bidirectional);
  }

  /** {@code new FusedLstm.Builder().units(64).bidirectional(true).build()}. */
  public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
    private int units;
    private boolean bidirectional;
    private double forgetGateBiasInit = 1.0;
    private RNNFormat outputFormat;
    private boolean inputEpsilon = true;

    /** Hidden units per direction. */
    public Builder units(int units) {
      this.units = units;
      return this;
    }

    public Builder bidirectional(boolean bidirectional) {
      this.bidirectional = bidirectional;
      return this;
    }

    /** Initial forget-gate bias (DL4J's LSTM default, 1.0, keeps early gradients alive). */
    public Builder forgetGateBiasInit(double value) {
      this.forgetGateBiasInit = value;
      return this;
    }

    /** The output's format if not the input's ({@code rnnDataFormat}). */
    public Builder outputFormat(RNNFormat format) {
      this.outputFormat = format;
      return this;
    }

    /** False for a layer fed by the network input: see {@link FusedLstm#isInputEpsilon}. */
    public Builder inputEpsilon(boolean compute) {
      this.inputEpsilon = compute;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FusedLstm build() {
      if (units <= 0) {
        throw new IllegalArgumentException("FusedLstm: units must be positive, got " + units);
      }
      return new FusedLstm(this);
    }
  }
}
