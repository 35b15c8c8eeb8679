package io.tracecast.kernels.attention;

import io.tracecast.kernels.layer.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scaled dot-product self-attention without projections, one head: for each example
 * {@code out = X softmax(X^T X / sqrt(F))^T}, i.e. output step q is the average of the input steps
 * weighted by the softmax over k of {@code x_q . x_k / sqrt(F)}. The same function as DL4J's
 * {@code SelfAttentionLayer} with {@code nHeads(1).projectInput(false)} (a SameDiff layer), with
 * the forward and backward pass written as a handful of batched native ops instead of a SameDiff
 * graph session per call, whose Java bookkeeping was about two thirds of that layer's time in the
 * bilstm_attention fit (bench/README.md, issue 11). Registry models saved with
 * {@code SelfAttentionLayer} keep it: they carry their own configuration.
 *
 * <p>Input and output: recurrent {@code [batch, F, time]} (NCW); no parameters; masks are not
 * supported (dataset windows always have the full lookback).
 */
public class DotProductSelfAttention extends NoParamLayer {
  private static final long serialVersionUID = 1L;

  /** For DL4J's JSON deserialization and the builder. */
  public DotProductSelfAttention() {}

  private DotProductSelfAttention(Builder b) {
    super(b);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    return LayerWiring.wire(new DotProductSelfAttentionLayer(conf, networkDataType), conf, trainingListeners,
        layerIndex, layerParamsView, initializeParams, initializer());
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
      throw new IllegalStateException("DotProductSelfAttention " + getLayerName()
          + ": expected a recurrent input, got " + inputType);
    }
    return InputType.recurrent(r.getSize(), r.getTimeSeriesLength(), RNNFormat.NCW);
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW,
        getLayerName());
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
    long t = r.getTimeSeriesLength();
    // Per example, kept for backward: the attention weights (time x time) and the output.
    long perExample = t * t + r.getSize() * t;
    return new LayerMemoryReport.Builder(getLayerName(), DotProductSelfAttention.class,
        inputType, getOutputType(-1, inputType))
        .standardMemory(0, 0)
        .workingMemory(0, perExample, 0, 2 * perExample)
        .cacheMemory(0, 0)
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DotProductSelfAttention && super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }

  /** {@code new DotProductSelfAttention.Builder().build()}. */
  public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {
    @Override
    @SuppressWarnings("unchecked")
    public DotProductSelfAttention build() {
      return new DotProductSelfAttention(this);
    }
  }
}
