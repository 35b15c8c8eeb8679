package io.tracecast.kernels.dense;

import io.tracecast.kernels.layer.LayerWiring;
import java.util.Arrays;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stack of ReLU dense layers as one DL4J layer: {@code a_0 = x}, {@code a_i = relu(a_(i-1) W_i
 * + b_i)}, output the last {@code a}. It computes what the same number of DL4J
 * {@code DenseLayer}s with ReLU compute, from the same parameters in the same places
 * ({@link FusedDenseParams}: each layer's W in f order then its b, layer by layer, drawn from
 * the same initialisation in the same order), so a network holding it trains the numbers the
 * DenseLayers would. Built for per-core speed on small layers (mlp's 64-32 on a batch of 64, a
 * fraction of a MFLOP each): DL4J's DenseLayer issues about six ND4J ops per layer and pass (the
 * product, the bias, the activation and their backward), each 10-20 us of Java dispatch at these
 * sizes, which made the dense layers about 60 % of the mlp fit (bench/README.md, issue 24). Here
 * each layer is two BLAS calls forward (the bias as a K = 1 product, then {@code x W}) and three
 * backward (weight gradient, bias gradient as a gemv, epsilon), straight to OpenBLAS on the
 * parameter buffers ({@code kernels/blas/Gemm}), and the ReLU and its derivative are Java loops
 * on the heap.
 *
 * <p>Input: feed-forward {@code [batch, nIn]}, or a recurrent {@code [batch, channels, steps]}
 * (NCW, as given: no format conversion) read as its c-order flattening {@code [batch, channels *
 * steps]}, which is what {@code ReshapeVertex('c', [-1, channels * steps])} in front of DenseLayers
 * feeds them; reading the window in place saves that vertex's copy forward and backward. Output
 * {@code [batch, nOut]}. No weight noise and no masks (windows have none); input dropout (the
 * configuration's {@code dropOut}) works as on any layer.
 */
public class FusedDense extends FeedForwardLayer {
  private static final long serialVersionUID = 1L;

  /** Units of each layer, the last one's being {@code nOut}. */
  private int[] units;
  /**
   * Whether backprop computes the epsilon of the layer's input: off for a layer fed by the
   * network's input (through parameterless vertices only), whose epsilon DL4J drops. Off,
   * backprop returns zeros in its place.
   */
  private boolean inputEpsilon = true;

  /** For DL4J's JSON deserialization. */
  public FusedDense() {}

  private FusedDense(Builder b) {
    super(b);
    this.units = b.units.clone();
    this.nOut = units[units.length - 1];
    this.inputEpsilon = b.inputEpsilon;
    initializeConstraints(b);
  }

  /** Units of layer {@code i} (0 = the one reading the input). */
  public int units(int i) {
    return units[i];
  }

  public int layers() {
    return units.length;
  }

  /** Inputs of layer {@code i}: nIn for the first, the previous layer's units after. */
  public long inputs(int i) {
    return i == 0 ? nIn : units[i - 1];
  }

  /** Feed-forward input as DL4J's FeedForwardLayer takes it; recurrent input flattened. */
  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (inputType instanceof InputType.InputTypeRecurrent r) {
      if (nIn <= 0 || override) {
        nIn = flattened(r);
      }
      return;
    }
    super.setNIn(inputType, override);
  }

  /** None for recurrent input, which the layer flattens itself (DL4J's would make steps rows). */
  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    if (inputType instanceof InputType.InputTypeRecurrent) {
      return null;
    }
    return super.getPreProcessorForInputType(inputType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    if (inputType instanceof InputType.InputTypeRecurrent r) {
      if (r.getFormat() != RNNFormat.NCW || r.getTimeSeriesLength() <= 0) {
        throw new IllegalArgumentException("FusedDense " + getLayerName() + ": reads recurrent "
            + "input as NCW of a known length, got " + inputType);
      }
      return InputType.feedForward(nOut);
    }
    return super.getOutputType(layerIndex, inputType);
  }

  private static long flattened(InputType.InputTypeRecurrent r) {
    return r.getSize() * r.getTimeSeriesLength();
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    if (nIn <= 0) {
      throw new IllegalStateException("FusedDense " + getLayerName() + ": nIn " + nIn
          + " must be positive");
    }
    if (getWeightNoise() != null) {
      throw new IllegalStateException("FusedDense " + getLayerName()
          + ": weight noise is not supported");
    }
    return LayerWiring.wire(new FusedDenseLayer(conf, networkDataType), conf, trainingListeners,
        layerIndex, layerParamsView, initializeParams, initializer());
  }

  @Override
  public ParamInitializer initializer() {
    return FusedDenseParams.INSTANCE;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    long params = initializer().numParams(this);
    // Per example: each layer's activation and gradient scratch (two rows of its units), the
    // heap copies of the largest, and the output.
    long perExample = nOut;
    long widest = 0;
    for (int u : units) {
      perExample += 2L * u;
      widest = Math.max(widest, u);
    }
    perExample += 2 * widest;
    return new LayerMemoryReport.Builder(getLayerName(), FusedDense.class, inputType, out)
        .standardMemory(params, 2 * params)
        .workingMemory(0, perExample, 0, perExample)
        .cacheMemory(0, 0)
        .build();
  }

  /** Units of every layer, first to last (a copy; DL4J's JSON reads and writes this). */
  public int[] getUnits() {
    return units == null ? null : units.clone();
  }

  public void setUnits(int[] units) {
    this.units = units == null ? null : units.clone();
  }

  public boolean isInputEpsilon() {
    return inputEpsilon;
  }

  public void setInputEpsilon(boolean inputEpsilon) {
    this.inputEpsilon = inputEpsilon;
  }

  @Override
  public FusedDense clone() {
    FusedDense c = (FusedDense) super.clone();
    c.units = units.clone();
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedDense f && super.equals(o) && Arrays.equals(f.units, units)
        && f.inputEpsilon == inputEpsilon;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * super.hashCode() + Arrays.hashCode(units)) + Boolean.hashCode(inputEpsilon);
  }

  /** {@code new FusedDense.Builder().units(64, 32).build()}. */
  public static class Builder extends FeedForwardLayer.Builder<Builder> {
    private int[] units = {};
    private boolean inputEpsilon = true;

    public Builder() {
      activation(Activation.RELU); // what the layer computes; recorded in its configuration
    }

    /** Units of each layer, first to last. */
    public Builder units(int... units) {
      this.units = units.clone();
      return this;
    }

    /** False for a layer fed by the network input: see {@link FusedDense#isInputEpsilon}. */
    public Builder inputEpsilon(boolean compute) {
      this.inputEpsilon = compute;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FusedDense build() {
      if (units.length == 0 || Arrays.stream(units).anyMatch(u -> u <= 0)) {
        throw new IllegalArgumentException("FusedDense: needs at least one layer of positive "
            + "units, got " + Arrays.toString(units));
      }
      if (!new ActivationReLU().equals(activationFn)) {
        throw new IllegalArgumentException("FusedDense: computes ReLU layers only, got "
            + activationFn);
      }
      return new FusedDense(this);
    }
  }
}
