package io.tracecast.kernels.conv;

import io.tracecast.kernels.layer.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1-D convolution over time with ReLU, stride 1 and same padding, computed as one im2col in
 * Java and one GEMM per product ({@link FusedConv1dLayer}): what DL4J's
 * {@code Convolution1DLayer.Builder().kernelSize(k).stride(1).convolutionMode(Same)
 * .activation(RELU).rnnDataFormat(NCW)} computes, with its parameters in the same places
 * ({@link FusedConv1dParams}), so a network's numbers mean the same with either layer. DL4J's
 * layer runs libnd4j's 2-D {@code conv2d} / {@code conv2d_bp} on a [batch, channels, steps, 1]
 * view through im2col and permutes; at the windows' shapes ([64, 9, 12] in, 32 filters of 3) that
 * was 54 % of the cnn kind's epoch (bench/README.md, issue 24).
 *
 * <p>Same padding as DL4J's: {@code kernel - 1} zeros in all, {@code (kernel - 1) / 2} before
 * the first step and the rest after the last (an even kernel pads one more after than before).
 * Output {@code out[b, o, t] = relu(b[o] + sum_(c, j) w(o, c, j) x[b, c, t + j - before])},
 * w(o, c, j) read from W's buffer as DL4J reads it ({@link FusedConv1dParams}).
 *
 * <p>Input and output NCW ({@code [batch, channels, steps]} in, {@code [batch, filters, steps]}
 * out). Not supported: other strides, dilation, other convolution modes (truncate, causal),
 * activations other than ReLU, no-bias layers, NWC data and masks (dataset windows always hold
 * the full lookback).
 */
public class FusedConv1d extends FeedForwardLayer {
  private static final long serialVersionUID = 1L;

  /** Width of the filters in time steps, >= 1. */
  private int kernel;
  /**
   * Whether backprop computes the epsilon of the layer's input: off for a layer fed by the
   * network's input (through parameterless layers only), whose epsilon DL4J drops. Off, backprop
   * returns zeros in its place (as {@code FusedGru} does).
   */
  private boolean inputEpsilon = true;

  /** For DL4J's JSON deserialization. */
  public FusedConv1d() {}

  private FusedConv1d(Builder b) {
    super(b);
    this.kernel = b.kernel;
    this.inputEpsilon = b.inputEpsilon;
    initializeConstraints(b);
  }

  /** Same padding at stride 1: as many steps out as in. */
  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
      throw new IllegalArgumentException("FusedConv1d " + getLayerName()
          + ": needs recurrent (NCW) input, got " + inputType);
    }
    return InputType.recurrent(nOut, r.getTimeSeriesLength(), RNNFormat.NCW);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
      throw new IllegalArgumentException("FusedConv1d " + getLayerName()
          + ": needs recurrent (NCW) input, got " + inputType);
    }
    if (nIn <= 0 || override) {
      nIn = r.getSize();
    }
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW,
        getLayerName());
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    if (nIn <= 0 || nOut <= 0 || kernel <= 0) {
      throw new IllegalStateException("FusedConv1d " + getLayerName() + ": nIn " + nIn
          + ", filters " + nOut + " and kernel " + kernel + " must be positive");
    }
    return LayerWiring.wire(new FusedConv1dLayer(conf, networkDataType), conf, trainingListeners,
        layerIndex, layerParamsView, initializeParams, initializer());
  }

  @Override
  public ParamInitializer initializer() {
    return FusedConv1dParams.INSTANCE;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    long params = initializer().numParams(this);
    long steps = ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength();
    // Per example, kept with the layer (heap and native): the columns and their gradient
    // (2 x 2 x nIn kernel steps), the input and its epsilon (2 nIn steps), the product, the
    // output and its epsilon (3 filters steps) and their native copies.
    long perExample = (4L * nIn * kernel + 2 * nIn + 4 * nOut) * steps;
    return new LayerMemoryReport.Builder(getLayerName(), FusedConv1d.class, inputType, out)
        .standardMemory(params, 2 * params)
        .workingMemory(0, perExample, 0, perExample)
        .cacheMemory(0, 0)
        .build();
  }

  public int getKernel() {
    return kernel;
  }

  public void setKernel(int kernel) {
    this.kernel = kernel;
  }

  public boolean isInputEpsilon() {
    return inputEpsilon;
  }

  public void setInputEpsilon(boolean inputEpsilon) {
    this.inputEpsilon = inputEpsilon;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedConv1d f && super.equals(o) && f.kernel == kernel
        && f.inputEpsilon == inputEpsilon;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * super.hashCode() + kernel) + Boolean.hashCode(inputEpsilon);
  }

  /** {@code new FusedConv1d.Builder().filters(32).kernel(3).build()}. */
  public static class Builder extends FeedForwardLayer.Builder<Builder> {
    private int kernel;
    private boolean inputEpsilon = true;

    public Builder() {
      activation(Activation.RELU);
    }

    /** Output channels. */
    public Builder filters(int filters) {
      return nOut(filters);
    }

    /** Filter width in time steps. */
    public Builder kernel(int kernel) {
      this.kernel = kernel;
      return this;
    }

    /** False for a layer fed by the network input: see {@link FusedConv1d#isInputEpsilon}. */
    public Builder inputEpsilon(boolean compute) {
      this.inputEpsilon = compute;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FusedConv1d build() {
      if (kernel <= 0 || nOut <= 0) {
        throw new IllegalArgumentException("FusedConv1d: filters and kernel must be positive, got "
            + nOut + ", " + kernel);
      }
      if (!(activationFn instanceof ActivationReLU)) {
        throw new IllegalArgumentException("FusedConv1d computes ReLU only, got " + activationFn);
      }
      return new FusedConv1d(this);
    }
  }
}
