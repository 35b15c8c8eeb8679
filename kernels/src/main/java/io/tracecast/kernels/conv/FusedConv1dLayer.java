package io.tracecast.kernels.conv;

import static io.tracecast.kernels.conv.FusedConv1dParams.BIAS;
import static io.tracecast.kernels.conv.FusedConv1dParams.WEIGHTS;

import io.tracecast.kernels.blas.Gemm;
import io.tracecast.kernels.buffer.OwnedBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network-side implementation of {@link FusedConv1d}: im2col, bias, ReLU and col2im as Java
 * loops on the heap ({@link ConvColumns}), the products as one GEMM each ({@link Gemm}: OpenBLAS
 * on float32, ND4J's op otherwise), M the weights as a {@code [kernel * nIn, filters]} matrix.
 * Forward: the columns, {@code P = M^T cols} ({@code [filters, batch * steps]}), the output
 * {@code relu(P + b)} permuted to NCW. Backward: the pre-activation gradient dZ (the epsilon
 * where the output is positive, in P's layout), {@code gM = cols dZ^T}, {@code gb} = dZ's row
 * sums (a gemv), and, unless the configuration skips it, {@code dcols = M dZ} folded back onto
 * the input (col2im). Five native calls forward (the
 * bias copy, the GEMM and three bulk copies), five or seven backward.
 *
 * <p>The native matrices and the heap arrays live with the layer, outside DL4J's workspaces, and
 * are reused while the batch shape stays the same (about {@code 4 nIn kernel + 2 nIn + 4 filters}
 * values per example and step: 0.6 MB for [64, 9, 12] and 32 filters of 3): scratch of this
 * layer alone, never handed to DL4J. Backward recomputes the forward pass if the last forward was
 * not a training pass over the same input.
 */
final class FusedConv1dLayer extends BaseLayer<FusedConv1d> {
  private static final long serialVersionUID = 1L;

  private transient Scratch scratch;
  /** The (post-dropout) input of the last training forward pass, whose state scratch holds. */
  private transient INDArray forwardInput;

  FusedConv1dLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /**
   * Native matrices of one batch shape ({@link ConvColumns} for the layouts): cols and dcols
   * {@code [nIn * kernel, n]}, product (then dZ) {@code [filters, n]}, bias {@code [1, filters]}
   * (a copy of the parameter for the heap loops), ones {@code [1, n]} (the bias gradient's gemv).
   */
  private record Scratch(ConvColumns columns, INDArray cols, INDArray dcols, INDArray product,
      INDArray bias, INDArray ones) {}

  @Override
  public Type type() {
    return Type.CONVOLUTIONAL;
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    applyDropOutIfNecessary(training, mgr);
    if (maskArray != null) {
      throw new UnsupportedOperationException("FusedConv1d " + layerConf().getLayerName()
          + ": masks are not supported");
    }
    Scratch s = scratch();
    ConvColumns c = s.columns();
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
        new long[] {c.batch, c.filters, c.steps}, 'c');
    forward(s, training, mgr, out);
    forwardInput = training ? input : null;
    return out;
  }

  /** The output into {@code out}; the columns and the output stay in scratch for backward. */
  private void forward(Scratch s, boolean training, LayerWorkspaceMgr mgr, INDArray out) {
    ConvColumns c = s.columns();
    c.im2col(OwnedBuffer.of(input, dataType), s.cols());
    Gemm.gemm(weights(getParamWithNoise(WEIGHTS, training, mgr)), s.cols(), s.product(), true,
        false, 1.0, 0.0);
    Gemm.copy(Gemm.Block.of(row(getParamWithNoise(BIAS, training, mgr))),
        Gemm.Block.of(s.bias()));
    c.activate(s.product(), s.bias(), out);
  }

  /**
   * W's buffer as the {@code [kernel * nIn, filters]} matrix M that DL4J's convolution reads
   * there (its declared shape {@code [filters, nIn, kernel, 1]} notwithstanding:
   * {@link FusedConv1dParams}).
   */
  private static INDArray weights(INDArray w) {
    return w.reshape('c', w.size(2) * w.size(1), w.size(0));
  }

  /** The bias {@code [filters]} as the {@code [1, filters]} row BLAS takes. */
  private static INDArray row(INDArray bias) {
    return bias.reshape('c', 1, bias.length());
  }

  private int[] inputShape() {
    if (input.rank() != 3 || input.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException("FusedConv1d " + layerConf().getLayerName()
          + ": expected NCW input [batch, " + layerConf().getNIn() + ", steps], got "
          + input.shapeInfoToString());
    }
    return new int[] {(int) input.size(0), (int) input.size(1), (int) input.size(2)};
  }

  /** The scratch for this input's shape, made (outside any workspace) when the shape changes. */
  private Scratch scratch() {
    int[] shape = inputShape();
    int kernel = layerConf().getKernel();
    int filters = (int) layerConf().getNOut();
    if (scratch != null
        && scratch.columns().fits(dataType, shape[0], shape[1], shape[2], kernel, filters)) {
      return scratch;
    }
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      ConvColumns c = ConvColumns.of(dataType, shape[0], shape[1], shape[2], kernel, filters);
      scratch = new Scratch(c,
          Nd4j.create(dataType, c.rows(), c.columns()),
          Nd4j.create(dataType, c.rows(), c.columns()),
          Nd4j.create(dataType, filters, c.columns()),
          Nd4j.create(dataType, 1, filters),
          Nd4j.ones(dataType, 1, c.columns()));
    }
    return scratch;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Scratch s;
    if (forwardInput == input && scratch != null) {
      s = scratch;
    } else {
      s = scratch();
      ConvColumns c = s.columns();
      forward(s, true, mgr, Nd4j.createUninitializedDetached(dataType, c.batch, c.filters,
          c.steps));
    }
    forwardInput = null;
    ConvColumns c = s.columns();
    INDArray dz = s.product();
    c.preActivationGradient(OwnedBuffer.of(epsilon, dataType), dz);
    INDArray gW = gradientViews.get(WEIGHTS);
    INDArray gB = gradientViews.get(BIAS);
    Gemm.gemm(s.cols(), dz, weights(gW), false, true, 1.0, 0.0);
    Gemm.gemv(s.ones(), dz, row(gB), true, 1.0, 0.0);
    INDArray epsOut;
    if (layerConf().isInputEpsilon()) {
      Gemm.gemm(weights(getParamWithNoise(WEIGHTS, true, mgr)), dz, s.dcols(), false, false, 1.0,
          0.0);
      epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
          new long[] {c.batch, c.nIn, c.steps}, 'c');
      c.col2im(s.dcols(), epsOut);
    } else {
      epsOut = mgr.create(ArrayType.ACTIVATION_GRAD, dataType,
          new long[] {c.batch, c.nIn, c.steps}, 'c');
    }
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.setGradientFor(BIAS, gB);
    g.setGradientFor(WEIGHTS, gW);
    weightNoiseParams.clear();
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }

  @Override
  public void clear() {
    super.clear();
    forwardInput = null;
  }
}
