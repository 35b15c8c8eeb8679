package io.tracecast.kernels.dense;

import io.tracecast.kernels.blas.Gemm;
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
 * The network-side implementation of {@link FusedDense}. Per layer i, forward:
 * {@code Z = 1 b} (a K = 1 product), {@code Z += A_(i-1) W} ({@link Gemm}), {@code A_i =
 * relu(Z)} in place on the heap ({@link ReluRows}). Backward from the output's epsilon:
 * {@code D = E (A_i > 0)}, {@code gW = A_(i-1)^T D}, {@code gb = 1^T D} (a gemv),
 * {@code E_(i-1) = D W^T}.
 *
 * <p>The products address the parameters and gradients as blocks of the layer's flat rows: W
 * {@code [in, u]} in f order is, read row-major, W^T {@code [u, in]} with rows {@code in} apart,
 * so {@code A W = A (W^T)^T} and {@code gW^T = D^T A} run on the buffers in place, without an
 * ND4J view or op per parameter and pass (DL4J's DenseLayer made about six ND4J calls per layer
 * and pass). The activations and gradients of each layer are native scratch arrays kept with
 * the layer, outside DL4J's workspaces, reused while the batch size stays the same (two rows of
 * units per layer and example); backward recomputes the forward pass if the last forward was
 * not a training pass over the same input.
 */
final class FusedDenseLayer extends BaseLayer<FusedDense> {
  private static final long serialVersionUID = 1L;

  private transient Scratch scratch;
  /** {@link #rowMatrix} of the parameter and gradient rows, and the rows they were made of. */
  private transient INDArray paramRows;
  private transient INDArray paramRowsOf;
  private transient INDArray gradientRows;
  private transient INDArray gradientRowsOf;
  /** The (post-dropout) input of the last training forward pass, whose state scratch holds. */
  private transient INDArray forwardInput;

  FusedDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /**
   * One batch size's scratch: per layer its activations {@code act[i]} and backward's gradient
   * of its pre-activation {@code delta[i]} (both {@code [batch, units(i)]}), a ones row
   * {@code [1, batch]} for the bias products, and the heap side of the ReLU loops.
   */
  private record Scratch(int batch, INDArray[] act, INDArray[] delta, INDArray ones,
      ReluRows relu) {
    boolean fits(DataType type, int rows) {
      return batch == rows && ones.dataType() == type;
    }
  }

  @Override
  public Type type() {
    return Type.FEED_FORWARD;
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    applyDropOutIfNecessary(training, mgr);
    Scratch s = forward();
    forwardInput = training ? input : null;
    INDArray last = s.act()[s.act().length - 1];
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, last.shape(), 'c');
    Gemm.copy(Gemm.Block.of(last), Gemm.Block.of(out));
    return out;
  }

  /**
   * The operand for the first layer's products: the input in the layer's type as {@code [batch,
   * nIn]} with dense rows; a recurrent {@code [batch, c, t]} flattened in c order (a view of a
   * c-contiguous window, else a copy, as ReshapeVertex('c') would make).
   */
  private Gemm.Block inputBlock() {
    INDArray x = input.castTo(dataType);
    if (x.rank() == 3) {
      x = x.reshape('c', x.size(0), x.size(1) * x.size(2));
    }
    if (x.rank() != 2 || x.stride(1) != 1 || x.ordering() != 'c') {
      x = x.dup('c');
    }
    return Gemm.Block.of(x);
  }

  private Scratch forward() {
    FusedDense conf = layerConf();
    long width = input.rank() == 3 ? input.size(1) * input.size(2) : input.size(1);
    if (input.rank() < 2 || input.rank() > 3 || width != conf.getNIn()) {
      throw new IllegalStateException("FusedDense " + conf.getLayerName() + ": expected input ["
          + "batch, " + conf.getNIn() + "] or [batch, c, t] with c * t = " + conf.getNIn()
          + ", got " + input.shapeInfoToString());
    }
    Scratch s = scratch((int) input.size(0));
    Gemm.Block previous = inputBlock();
    Gemm.Block onesColumn = new Gemm.Block(s.ones(), 0, s.batch(), 1, 1);
    for (int i = 0; i < conf.layers(); i++) {
      Gemm.Block z = Gemm.Block.of(s.act()[i]);
      Gemm.gemm(onesColumn, bias(parameters(), i), z, false, false, 1.0, 0.0);
      Gemm.gemm(previous, weightsTransposed(parameters(), i), z, false, true, 1.0, 1.0);
      s.relu().relu(i);
      previous = z;
    }
    return s;
  }

  /** The layer's parameters as one c-order row {@code [1, n]}: see {@link #rowMatrix}. */
  private INDArray parameters() {
    if (paramRowsOf != paramsFlattened) {
      paramRows = rowMatrix(paramsFlattened);
      paramRowsOf = paramsFlattened;
    }
    return paramRows;
  }

  /** The layer's gradients as one c-order row {@code [1, n]}: see {@link #rowMatrix}. */
  private INDArray gradients() {
    if (gradientRowsOf != gradientsFlattened) {
      gradientRows = rowMatrix(gradientsFlattened);
      gradientRowsOf = gradientsFlattened;
    }
    return gradientRows;
  }

  /**
   * A flat row as a c-order {@code [1, n]} matrix over the same buffer: DL4J hands each layer
   * rank-1 views that ND4J calls f order, which {@link Gemm}'s direct path rightly refuses (it
   * would take ND4J's op path, about 20 us per product at these sizes).
   */
  private static INDArray rowMatrix(INDArray flat) {
    if (flat.rank() == 2 && flat.size(0) == 1 && flat.ordering() == 'c' && flat.stride(1) == 1) {
      return flat;
    }
    if (flat.rank() != 1 || flat.stride(0) != 1) {
      throw new IllegalStateException("FusedDense: expected a dense flat row, got "
          + flat.shapeInfoToString());
    }
    long n = flat.length();
    return Nd4j.create(flat.data(), new long[] {1, n}, new long[] {n, 1}, flat.offset(), 'c');
  }

  /** W_i of a flat row (parameters or gradients) read row-major: W_i^T {@code [u, in]}. */
  private Gemm.Block weightsTransposed(INDArray flat, int i) {
    FusedDense conf = layerConf();
    long in = conf.inputs(i);
    return new Gemm.Block(flat, FusedDenseParams.weightOffset(conf, i), conf.units(i), in, in);
  }

  /** b_i of a flat row, {@code [1, u]}. */
  private Gemm.Block bias(INDArray flat, int i) {
    FusedDense conf = layerConf();
    long u = conf.units(i);
    return new Gemm.Block(flat, FusedDenseParams.weightOffset(conf, i) + conf.inputs(i) * u, 1,
        u, u);
  }

  /** The scratch for this batch size, made (outside any workspace) when the size changes. */
  private Scratch scratch(int batch) {
    if (scratch != null && scratch.fits(dataType, batch)) {
      return scratch;
    }
    FusedDense conf = layerConf();
    int n = conf.layers();
    INDArray[] act = new INDArray[n];
    INDArray[] delta = new INDArray[n];
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      for (int i = 0; i < n; i++) {
        act[i] = Nd4j.create(dataType, batch, conf.units(i));
        delta[i] = Nd4j.create(dataType, batch, conf.units(i));
      }
      INDArray ones = Nd4j.ones(dataType, 1, batch);
      scratch = new Scratch(batch, act, delta, ones, ReluRows.of(dataType, act, delta));
    }
    return scratch;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Scratch s = forwardInput == input && scratch != null ? scratch : forward();
    forwardInput = null;
    FusedDense conf = layerConf();
    int last = conf.layers() - 1;
    INDArray eps = epsilon.castTo(dataType);
    if (eps.rank() != 2 || eps.stride(1) != 1) {
      eps = eps.dup('c');
    }
    Gemm.copy(Gemm.Block.of(eps), Gemm.Block.of(s.delta()[last]));
    // Derived again, not kept from forward: a copy made there (a cropped window, another type)
    // lives in a workspace DL4J may have reset since; the input itself it keeps.
    Gemm.Block inputs = inputBlock();
    for (int i = last; i >= 0; i--) {
      s.relu().maskByActive(i);
      Gemm.Block d = Gemm.Block.of(s.delta()[i]);
      Gemm.Block previous = i > 0 ? Gemm.Block.of(s.act()[i - 1]) : inputs;
      Gemm.gemm(d, previous, weightsTransposed(gradients(), i), true, false, 1.0, 0.0);
      Gemm.gemv(s.ones(), s.delta()[i], gradientViews.get(FusedDenseParams.bias(i)), false, 1.0,
          0.0);
      if (i > 0) {
        Gemm.gemm(d, weightsTransposed(parameters(), i), Gemm.Block.of(s.delta()[i - 1]), false,
            false, 1.0, 0.0);
      }
    }
    INDArray epsOut = inputEpsilon(s, mgr);
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (int i = 0; i <= last; i++) {
      g.setGradientFor(FusedDenseParams.weights(i),
          gradientViews.get(FusedDenseParams.weights(i)));
      g.setGradientFor(FusedDenseParams.bias(i), gradientViews.get(FusedDenseParams.bias(i)));
    }
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }

  /**
   * dL/dinput {@code = D_0 W_0^T} in the input's shape, or zeros where the configuration skips
   * it.
   */
  private INDArray inputEpsilon(Scratch s, LayerWorkspaceMgr mgr) {
    FusedDense conf = layerConf();
    long[] shape = input.shape();
    if (!conf.isInputEpsilon()) {
      return mgr.create(ArrayType.ACTIVATION_GRAD, dataType, shape, 'c');
    }
    INDArray eps = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, shape, 'c');
    Gemm.Block rows = new Gemm.Block(eps, 0, s.batch(), conf.getNIn(), conf.getNIn());
    Gemm.gemm(Gemm.Block.of(s.delta()[0]), weightsTransposed(parameters(), 0), rows, false,
        false, 1.0, 0.0);
    return eps;
  }

  @Override
  public void clear() {
    super.clear();
    forwardInput = null;
  }
}
