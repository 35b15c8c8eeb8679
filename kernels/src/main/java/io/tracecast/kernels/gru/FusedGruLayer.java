package io.tracecast.kernels.gru;

import static io.tracecast.kernels.gru.FusedGruParams.BIAS;
import static io.tracecast.kernels.gru.FusedGruParams.INPUT_WEIGHTS;
import static io.tracecast.kernels.gru.FusedGruParams.RECURRENT_WEIGHTS;

import io.tracecast.kernels.blas.Gemm;
import io.tracecast.kernels.buffer.OwnedBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
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
 * The network-side implementation of {@link FusedGru}: the products as BLAS calls on native
 * time-major buffers ({@link Gemm}), the element-wise maths on the heap ({@link GruCells}).
 * Forward: {@code 1 b + x W} for all steps in two GEMMs, then per step {@code h_(s-1) U} (one
 * GEMM over all three gate blocks) and the cells. Backward: per step the cells' gate gradients
 * and one GEMM for the part of dL/dh_(s-1) through U, then {@code gW = x^T dXW},
 * {@code gU = H_prev^T dRec}, the bias gradient (a gemv) and the input epsilon
 * ({@code dXW W^T}) each once over all steps (per step, as the fused LSTM does them, was slower
 * at these shapes: bench/README.md, issue 24).
 *
 * <p>The native buffers and the cells (which keep the forward state backward reads) live with the
 * layer, outside DL4J's workspaces, and are reused while the batch shape stays the same (about
 * 28 floats per unit, step and example: 4.3 MB for 50 units, 12 steps, batch 64): they are
 * scratch of this layer alone, never handed to DL4J. Backward recomputes the forward pass if the
 * last forward was not a training pass over the same input (e.g. a caller that skipped it).
 */
final class FusedGruLayer extends BaseLayer<FusedGru> {
  private static final long serialVersionUID = 1L;

  private transient Scratch scratch;
  /** The (post-dropout) input of the last training forward pass, whose state scratch holds. */
  private transient INDArray forwardInput;

  FusedGruLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /**
   * Native buffers ({@code [rows, width]}, steps time-major) and the cells of one batch shape:
   * x {@code [T*b, nIn]}, xw (the input projection, reused for its gradient) {@code [T*b, 3u]},
   * hidden {@code [(T+1)*b, u]} (block 0 zero), rec {@code [b, 3u]}, drec {@code [T*b, 3u]},
   * dhU {@code [b, u]}, dx {@code [T*b, nIn]}, ones {@code [1, T*b]} (the bias's products).
   */
  private record Scratch(GruCells cells, INDArray x, INDArray xw, INDArray hidden, INDArray rec,
      INDArray drec, INDArray dhU, INDArray dx, INDArray ones) {
    Gemm.Block block(INDArray a, int s) {
      int b = cells.batch;
      return new Gemm.Block(a, (long) s * b * a.size(1), b, a.size(1), a.size(1));
    }

    /** Rows of steps {@code from .. steps-1} (blocks of a state buffer: from .. steps-1). */
    Gemm.Block rows(INDArray a, int from) {
      int b = cells.batch;
      return new Gemm.Block(a, (long) from * b * a.size(1), (long) (cells.steps - from) * b,
          a.size(1), a.size(1));
    }

    /** {@code ones} as a column {@code [steps * batch, 1]}. */
    Gemm.Block onesColumn() {
      return new Gemm.Block(ones, 0, ones.length(), 1, 1);
    }
  }

  @Override
  public Type type() {
    return Type.RECURRENT;
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
      throw new UnsupportedOperationException("FusedGru " + layerConf().getLayerName()
          + ": masks are not supported");
    }
    Scratch s = forward(training, mgr);
    forwardInput = training ? input : null;
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
        new long[] {s.cells().batch, layerConf().getNOut()}, 'c');
    s.cells().lastHidden(out);
    return out;
  }

  private Scratch forward(boolean training, LayerWorkspaceMgr mgr) {
    RNNFormat format = layerConf().getRnnDataFormat();
    INDArray ncw = OwnedBuffer.of(format == RNNFormat.NWC ? input.permute(0, 2, 1) : input,
        dataType);
    Scratch s = scratch((int) ncw.size(0), (int) ncw.size(2), (int) ncw.size(1));
    GruCells cells = s.cells();
    INDArray w = getParamWithNoise(INPUT_WEIGHTS, training, mgr);
    INDArray u = getParamWithNoise(RECURRENT_WEIGHTS, training, mgr);
    INDArray bias = getParamWithNoise(BIAS, training, mgr);
    cells.inputSteps(ncw, s.x());
    // xw = 1 b + x W: the bias rows as a product with a column of ones (K = 1), then x W added.
    Gemm.gemm(s.onesColumn(), Gemm.Block.of(bias), Gemm.Block.of(s.xw()), false, false, 1.0,
        0.0);
    Gemm.gemm(s.x(), w, s.xw(), false, false, 1.0, 1.0);
    cells.project(s.xw());
    Gemm.Block uBlock = Gemm.Block.of(u);
    Gemm.Block rec = Gemm.Block.of(s.rec());
    for (int t = 0; t < cells.steps; t++) {
      if (t > 0) {
        Gemm.gemm(s.block(s.hidden(), t), uBlock, rec, false, false, 1.0, 0.0);
      }
      cells.step(t, t > 0 ? s.rec() : null, s.hidden());
    }
    return s;
  }

  /** The scratch for this batch shape, made (outside any workspace) when the shape changes. */
  private Scratch scratch(int batch, int steps, int nIn) {
    int units = (int) layerConf().getNOut();
    if (scratch != null && scratch.cells().fits(dataType, batch, steps, nIn, units)) {
      return scratch;
    }
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long rows = (long) steps * batch;
      scratch = new Scratch(GruCells.of(dataType, batch, steps, nIn, units),
          Nd4j.create(dataType, rows, nIn),
          Nd4j.create(dataType, rows, 3L * units),
          Nd4j.create(dataType, rows + batch, units),
          Nd4j.create(dataType, batch, 3L * units),
          Nd4j.create(dataType, rows, 3L * units),
          Nd4j.create(dataType, batch, units),
          Nd4j.create(dataType, rows, nIn),
          Nd4j.ones(dataType, 1, rows));
    }
    return scratch;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Scratch s = forwardInput == input && scratch != null ? scratch : forward(true, mgr);
    forwardInput = null;
    GruCells cells = s.cells();
    INDArray u = getParamWithNoise(RECURRENT_WEIGHTS, true, mgr);
    Gemm.Block uBlock = Gemm.Block.of(u);
    Gemm.Block dhU = Gemm.Block.of(s.dhU());
    cells.lastHiddenEpsilon(OwnedBuffer.of(epsilon, dataType));
    for (int t = cells.steps - 1; t >= 0; t--) {
      cells.gateGradients(t, s.drec());
      if (t > 0) {
        Gemm.gemm(s.block(s.drec(), t), uBlock, dhU, false, true, 1.0, 0.0);
        cells.previousEpsilon(t, s.dhU());
      }
    }
    INDArray dxw = s.xw();
    cells.projectionGradients(dxw);
    INDArray gW = gradientViews.get(INPUT_WEIGHTS);
    INDArray gU = gradientViews.get(RECURRENT_WEIGHTS);
    INDArray gB = gradientViews.get(BIAS);
    Gemm.gemm(s.x(), dxw, gW, true, false, 1.0, 0.0);
    if (cells.steps > 1) {
      // h_(s-1) of steps 1..T-1 are hidden blocks 1..T-1; step 0's (the zero state) adds nothing.
      Gemm.gemm(s.rows(s.hidden(), 1), s.rows(s.drec(), 1), Gemm.Block.of(gU), true, false,
          1.0, 0.0);
    } else {
      gU.assign(0);
    }
    Gemm.gemv(s.ones(), dxw, gB, false, 1.0, 0.0);
    INDArray epsOut = inputEpsilon(s, mgr);
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.setGradientFor(INPUT_WEIGHTS, gW);
    g.setGradientFor(RECURRENT_WEIGHTS, gU);
    g.setGradientFor(BIAS, gB);
    weightNoiseParams.clear();
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }

  /** dL/dinput in the input's format, or zeros where the configuration skips it. */
  private INDArray inputEpsilon(Scratch s, LayerWorkspaceMgr mgr) {
    GruCells cells = s.cells();
    RNNFormat format = layerConf().getRnnDataFormat();
    long[] ncwShape = {cells.batch, cells.nIn, cells.steps};
    if (!layerConf().isInputEpsilon()) {
      long[] shape = format == RNNFormat.NWC
          ? new long[] {cells.batch, cells.steps, cells.nIn} : ncwShape;
      return mgr.create(ArrayType.ACTIVATION_GRAD, dataType, shape, 'c');
    }
    INDArray w = getParamWithNoise(INPUT_WEIGHTS, true, mgr);
    Gemm.gemm(s.xw(), w, s.dx(), false, true, 1.0, 0.0);
    INDArray eps = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, ncwShape, 'c');
    cells.stepsToNcw(s.dx(), eps);
    return format == RNNFormat.NWC ? eps.permute(0, 2, 1) : eps;
  }

  @Override
  public void clear() {
    super.clear();
    forwardInput = null;
  }
}
