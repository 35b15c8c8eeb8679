package io.tracecast.kernels.lstm;

import static io.tracecast.kernels.lstm.FusedLstmParams.BIAS;
import static io.tracecast.kernels.lstm.FusedLstmParams.INPUT_WEIGHTS;
import static io.tracecast.kernels.lstm.FusedLstmParams.RECURRENT_WEIGHTS;

import io.tracecast.kernels.blas.Gemm;
import io.tracecast.kernels.buffer.NativeFloats;
import io.tracecast.kernels.buffer.OwnedBuffer;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network-side implementation of {@link FusedLstm}. All buffers are time-major
 * {@link StepBuffer}s in processing order: the backward direction runs as a forward LSTM over
 * the time-reversed input (as DL4J's {@code Bidirectional} does), so at loop step s both
 * directions sit in the same row block (for double networks one native sigmoid or tanh covers
 * both). The element-wise cell maths are Java loops ({@link FloatCellSteps} for float networks,
 * transcendental functions included; {@link LstmCells} for double): an ND4J op costs 15-20 us of
 * dispatch and about 11 ns per element on strided gate slices, a loop about 1-2 ns.
 *
 * <p>Forward keeps what backward needs (the time-major input, activated gates, cell states, their
 * tanh, hidden states) in the ACTIVATIONS workspace when
 * training (float networks: gates and cell states on the heap, in {@link FloatCellSteps}), which DL4J keeps open until the backward pass has run; backward recomputes them in
 * BP_WORKING_MEM if it gets an input it did not see (e.g. a caller that skipped the forward).
 */
final class FusedLstmLayer extends BaseLayer<FusedLstm> {
  private static final long serialVersionUID = 1L;

  /** Forward state for backward, for the (post-dropout) input it was computed from. */
  private transient Pass pass;
  private transient FloatCellSteps floatCells;

  FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /**
   * Buffers of one forward pass, [directions, rows, width] each: x (input, [T*b, nIn]), gates
   * ([T*b, 4H], activated in place; columns input, forget, output, candidate; float networks
   * keep the pre-activations here and the activated gates in {@link FloatCellSteps}), cell
   * and hidden ([(T+1)*b, H], block 0 the zero initial state, step s at block s+1), cellTanh
   * ([T*b, H]). Float networks keep cell and cellTanh in {@link FloatCellSteps} only (null here).
   */
  private record Pass(INDArray input, LstmCells cells, StepBuffer x, StepBuffer gates,
      StepBuffer cell, StepBuffer cellTanh, StepBuffer hidden) {}

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
      throw new UnsupportedOperationException("FusedLstm " + layerConf().getLayerName()
          + ": masks are not supported");
    }
    Pass p = forward(training, training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM, mgr);
    pass = training ? p : null;
    long b = p.x().batch();
    long t = p.x().steps();
    long nOut = layerConf().getNOut();
    RNNFormat outFormat = layerConf().outputFormat();
    if (dataType == DataType.FLOAT && outFormat == RNNFormat.NWC) {
      INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
          new long[] {b, t, nOut}, 'c');
      floatCells(p.cells()).hiddenToNwc(NativeFloats.of(p.hidden().array),
          NativeFloats.of(out));
      return out;
    }
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
        new long[] {b, nOut, t}, 'c');
    if (dataType == DataType.FLOAT) {
      floatCells(p.cells()).hiddenToNcw(NativeFloats.of(p.hidden().array),
          NativeFloats.of(out));
    } else {
      p.cells().hiddenToNcw(Buf.of(p.hidden().array), Buf.of(out));
    }
    return fromNcw(out, outFormat);
  }

  /** An NCW array that owns its buffer (what {@link Buf} reads), from an array in format f. */
  private INDArray toOwnNcw(INDArray a, RNNFormat f) {
    return own(f == RNNFormat.NWC ? a.permute(0, 2, 1) : a);
  }

  /** The array as it is (same format), in a buffer of its own. */
  private INDArray own(INDArray a) {
    return OwnedBuffer.of(a, dataType);
  }

  private static INDArray fromNcw(INDArray ncw, RNNFormat f) {
    return f == RNNFormat.NWC ? ncw.permute(0, 2, 1) : ncw;
  }

  /** Float networks read and write NWC as is (row copies); double ones convert to NCW. */
  private boolean floatNwc(RNNFormat f) {
    return dataType == DataType.FLOAT && f == RNNFormat.NWC;
  }

  private StepBuffer buffer(LayerWorkspaceMgr mgr, ArrayType type, long rows, long width,
      long batch, boolean zeroed) {
    long[] shape = {layerConf().directions(), rows, width};
    INDArray a = zeroed ? mgr.create(type, dataType, shape, 'c')
        : mgr.createUninitialized(type, dataType, shape, 'c');
    return new StepBuffer(a, batch);
  }

  private Pass forward(boolean training, ArrayType type, LayerWorkspaceMgr mgr) {
    RNNFormat inFormat = layerConf().getRnnDataFormat();
    boolean nwc = floatNwc(inFormat);
    INDArray in = nwc ? own(input) : toOwnNcw(input, inFormat);
    long b = in.size(0);
    long nIn = in.size(nwc ? 2 : 1);
    int t = (int) in.size(nwc ? 1 : 2);
    long h = layerConf().units();
    int dirs = layerConf().directions();
    LstmCells cells = new LstmCells(dirs, (int) b, t, (int) h);
    INDArray w = getParamWithNoise(INPUT_WEIGHTS, training, mgr);
    INDArray rw = getParamWithNoise(RECURRENT_WEIGHTS, training, mgr);
    INDArray bias = getParamWithNoise(BIAS, training, mgr);

    StepBuffer x = buffer(mgr, type, t * b, nIn, b, false);
    if (nwc) {
      floatCells(cells).inputStepsNwc(NativeFloats.of(in), (int) nIn,
          NativeFloats.of(x.array));
    } else if (dataType == DataType.FLOAT) {
      floatCells(cells).inputSteps(NativeFloats.of(in), (int) nIn,
          NativeFloats.of(x.array));
    } else {
      cells.inputSteps(Buf.of(in), (int) nIn, Buf.of(x.array));
    }
    StepBuffer gates = buffer(mgr, type, t * b, 4 * h, b, false);
    StepBuffer hidden = buffer(mgr, type, (t + 1) * b, h, b, true);
    StepInputs inputs = new StepInputs(x, w, rw, bias, gates, hidden, mgr, type);
    if (dataType == DataType.FLOAT) {
      // Cell states and their tanh live on the heap only (FloatCellSteps).
      floatSteps(cells, t, dirs, inputs, gates, hidden);
      return new Pass(input, cells, x, gates, null, null, hidden);
    }
    StepBuffer cell = buffer(mgr, type, (t + 1) * b, h, b, true);
    StepBuffer cellTanh = buffer(mgr, type, t * b, h, b, false);
    Buf gateBuf = Buf.of(gates.array);
    Buf cellBuf = Buf.of(cell.array);
    Buf cellTanhBuf = Buf.of(cellTanh.array);
    Buf hiddenBuf = Buf.of(hidden.array);
    for (int s = 0; s < t; s++) {
      for (int d = 0; d < dirs; d++) {
        inputs.step(d, s);
      }
      INDArray sigmoidGates = gates.step(s, 0, 3 * h);
      Nd4j.exec(new Sigmoid(sigmoidGates, sigmoidGates));
      INDArray candidate = gates.step(s, 3 * h, h);
      Nd4j.exec(new Tanh(candidate, candidate));
      cells.cellState(gateBuf, cellBuf, s);
      Nd4j.exec(new Tanh(cell.step(s + 1, 0, h), cellTanh.step(s, 0, h)));
      cells.hiddenState(gateBuf, cellTanhBuf, hiddenBuf, s);
    }
    return new Pass(input, cells, x, gates, cell, cellTanh, hidden);
  }

  /**
   * The step loop of float32 networks: per direction and step, the gate block's products
   * ({@link StepInputs}), then everything element-wise in one heap pass ({@link FloatCellSteps}).
   */
  private void floatSteps(LstmCells cells, int t, int dirs, StepInputs inputs, StepBuffer gates,
      StepBuffer hidden) {
    FloatCellSteps steps = floatCells(cells);
    FloatBuffer gateBuf = NativeFloats.of(gates.array);
    FloatBuffer hiddenBuf = NativeFloats.of(hidden.array);
    for (int s = 0; s < t; s++) {
      for (int d = 0; d < dirs; d++) {
        inputs.step(d, s);
        steps.step(gateBuf, hiddenBuf, d, s);
      }
    }
  }

  /**
   * The gate pre-activations of one direction and step: the bias (copied from a block of bias
   * rows made once per pass), plus {@code x_s W}, plus {@code h_(s-1) R} (h_(-1) is zero:
   * skipped). Per step rather than one input product over all steps before the loop (K = nIn,
   * steps x batch rows), which ran at about 20 GFMA/s in the fit against about 45 for the same
   * work per step, while the step's rows are in cache (bench/README.md, issue 11, round 5).
   */
  private final class StepInputs {
    private final StepBuffer x;
    private final StepBuffer gates;
    private final StepBuffer hidden;
    private final Gemm.Block[] w;
    private final Gemm.Block[] rw;
    private final Gemm.Block[] biasRows;

    StepInputs(StepBuffer x, INDArray w, INDArray rw, INDArray bias, StepBuffer gates,
        StepBuffer hidden, LayerWorkspaceMgr mgr, ArrayType type) {
      int dirs = layerConf().directions();
      this.x = x;
      this.gates = gates;
      this.hidden = hidden;
      this.w = blocks(w);
      this.rw = blocks(rw);
      this.biasRows = new Gemm.Block[dirs];
      for (int d = 0; d < dirs; d++) {
        INDArray biasRow = rows(bias, d);
        INDArray rowsOfBias = mgr.create(type, dataType,
            new long[] {x.batch(), biasRow.length()}, 'c').addiRowVector(biasRow);
        this.biasRows[d] = Gemm.Block.of(rowsOfBias);
      }
    }

    void step(int d, int s) {
      Gemm.Block z = gates.block(d, s);
      Gemm.copy(biasRows[d], z);
      Gemm.gemm(x.block(d, s), w[d], z, false, false, 1.0, 1.0);
      if (s > 0) {
        Gemm.gemm(hidden.block(d, s), rw[d], z, false, false, 1.0, 1.0);
      }
    }
  }

  /** Heap scratch for {@link FloatCellSteps}, kept while the batch shape stays the same. */
  private FloatCellSteps floatCells(LstmCells shape) {
    if (floatCells == null || !floatCells.fits(shape)) {
      floatCells = new FloatCellSteps(shape);
    }
    return floatCells;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Pass p = pass != null && pass.input() == input ? pass
        : forward(true, ArrayType.BP_WORKING_MEM, mgr);
    pass = null;
    long b = p.x().batch();
    int t = (int) p.x().steps();
    long h = layerConf().units();
    long nIn = layerConf().getNIn();
    int dirs = layerConf().directions();
    INDArray w = getParamWithNoise(INPUT_WEIGHTS, true, mgr);
    INDArray rw = getParamWithNoise(RECURRENT_WEIGHTS, true, mgr);

    // dL/dh per step, processing order: the epsilon from above, plus (added in the loop) the
    // recurrent contribution of the step processed after it.
    StepBuffer dh = buffer(mgr, ArrayType.BP_WORKING_MEM, t * b, h, b, false);
    RNNFormat outFormat = layerConf().outputFormat();
    if (floatNwc(outFormat)) {
      floatCells(p.cells()).nwcToSteps(NativeFloats.of(own(epsilon)),
          NativeFloats.of(dh.array));
    } else if (dataType == DataType.FLOAT) {
      floatCells(p.cells()).ncwToSteps(NativeFloats.of(toOwnNcw(epsilon, outFormat)),
          NativeFloats.of(dh.array));
    } else {
      p.cells().ncwToSteps(Buf.of(toOwnNcw(epsilon, outFormat)), Buf.of(dh.array));
    }
    StepBuffer dz = buffer(mgr, ArrayType.BP_WORKING_MEM, t * b, 4 * h, b, false);
    Gemm.Block[] rwDir = blocks(rw);
    INDArray gW = gradientViews.get(INPUT_WEIGHTS);
    INDArray gRw = gradientViews.get(RECURRENT_WEIGHTS);
    INDArray gB = gradientViews.get(BIAS);
    boolean inputEpsilon = layerConf().isInputEpsilon();
    StepBuffer dx = inputEpsilon ? buffer(mgr, ArrayType.BP_WORKING_MEM, t * b, nIn, b, false)
        : null;
    StepGradients grads = new StepGradients(p, dz, dx, w, gW, gRw, t);
    if (dataType == DataType.FLOAT) {
      FloatCellSteps steps = floatCells(p.cells());
      FloatBuffer dhF = NativeFloats.of(dh.array);
      FloatBuffer dzF = NativeFloats.of(dz.array);
      for (int s = t - 1; s >= 0; s--) {
        for (int d = 0; d < dirs; d++) {
          if (s < t - 1) {
            Gemm.gemm(dz.block(d, s + 1), rwDir[d], dh.block(d, s), false, true, 1.0, 1.0);
          }
          steps.gateGradients(dhF, dzF, d, s);
          grads.step(d, s);
        }
      }
    } else {
      double[] carry = new double[(int) (dirs * b * h)];
      Buf gateBuf = Buf.of(p.gates().array);
      Buf cellBuf = Buf.of(p.cell().array);
      Buf cellTanhBuf = Buf.of(p.cellTanh().array);
      Buf dhBuf = Buf.of(dh.array);
      Buf dzBuf = Buf.of(dz.array);
      for (int s = t - 1; s >= 0; s--) {
        if (s < t - 1) {
          for (int d = 0; d < dirs; d++) {
            Gemm.gemm(dz.block(d, s + 1), rwDir[d], dh.block(d, s), false, true, 1.0, 1.0);
          }
        }
        p.cells().gateGradients(gateBuf, cellBuf, cellTanhBuf, dhBuf, dzBuf, carry, s);
        for (int d = 0; d < dirs; d++) {
          grads.step(d, s);
        }
      }
    }

    // The bias gradient: column sums of dz, a gemv with a row of ones (ND4J's column sum over
    // 3072 rows cost as much as the weight-gradient GEMM, a one-row GEMM or a Java loop 4-5x a
    // gemv; bench/README.md, issue 11, round 4).
    INDArray ones = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
        new long[] {1, t * b}, 'c').assign(1);
    for (int d = 0; d < dirs; d++) {
      Gemm.gemv(ones, dz.rows(d, 0, t), rows(gB, d), false, 1.0, 0.0);
    }
    RNNFormat inFormat = layerConf().getRnnDataFormat();
    long[] inShape = inFormat == RNNFormat.NWC ? new long[] {b, t, nIn} : new long[] {b, nIn, t};
    INDArray epsOut;
    if (!inputEpsilon) {
      epsOut = mgr.create(ArrayType.ACTIVATION_GRAD, dataType, inShape, 'c');
    } else if (floatNwc(inFormat)) {
      epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, inShape, 'c');
      floatCells(p.cells()).stepsToNwc(NativeFloats.of(dx.array), (int) nIn,
          NativeFloats.of(epsOut));
    } else {
      epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
          new long[] {b, nIn, t}, 'c');
      if (dataType == DataType.FLOAT) {
        floatCells(p.cells()).stepsToNcw(NativeFloats.of(dx.array), (int) nIn,
            NativeFloats.of(epsOut));
      } else {
        p.cells().stepsToNcw(Buf.of(dx.array), (int) nIn, Buf.of(epsOut));
      }
      epsOut = fromNcw(epsOut, inFormat);
    }
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.setGradientFor(INPUT_WEIGHTS, gW);
    g.setGradientFor(RECURRENT_WEIGHTS, gRw);
    g.setGradientFor(BIAS, gB);
    weightNoiseParams.clear();
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }

  /**
   * The weight gradients and input epsilon of one direction and step, issued right after the
   * step's gate gradients while its dz block is still in cache: {@code gW += x_s^T dz_s},
   * {@code gRw += h_(s-1)^T dz_s}, {@code dx_s = dz_s W^T}. As one product over all steps after
   * the loop (K = steps x batch) the same GEMMs ran at about 20 GFMA/s in the fit, dz having left
   * the cache (bench/README.md, issue 11, round 5). The first step processed (the last in time)
   * overwrites the gradients, the others add.
   */
  private final class StepGradients {
    private final Pass p;
    private final StepBuffer dz;
    private final StepBuffer dx;
    private final int last;
    private final Gemm.Block[] w;
    private final Gemm.Block[] gW;
    private final Gemm.Block[] gRw;

    StepGradients(Pass p, StepBuffer dz, StepBuffer dx, INDArray w, INDArray gW, INDArray gRw,
        int steps) {
      this.p = p;
      this.dz = dz;
      this.dx = dx;
      this.last = steps - 1;
      this.w = blocks(w);
      this.gW = blocks(gW);
      this.gRw = blocks(gRw);
    }

    void step(int d, int s) {
      Gemm.Block dzs = dz.block(d, s);
      double beta = s == last ? 0.0 : 1.0;
      Gemm.gemm(p.x().block(d, s), dzs, gW[d], true, false, 1.0, beta);
      if (s > 0 || s == last) {
        // h_(s-1) is hidden block s; block 0, the zero initial state, adds nothing.
        Gemm.gemm(p.hidden().block(d, s), dzs, gRw[d], true, false, 1.0, beta);
      }
      if (dx != null) {
        Gemm.gemm(dzs, w[d], dx.block(d, s), false, true, 1.0, 0.0);
      }
    }
  }

  /** Each direction's block of rows of a direction-stacked parameter or gradient. */
  private Gemm.Block[] blocks(INDArray stacked) {
    Gemm.Block[] blocks = new Gemm.Block[layerConf().directions()];
    for (int d = 0; d < blocks.length; d++) {
      blocks[d] = Gemm.Block.of(rows(stacked, d));
    }
    return blocks;
  }

  /** Direction d's contiguous block of rows of a direction-stacked parameter or gradient. */
  private INDArray rows(INDArray stacked, int d) {
    return FusedLstmParams.direction(stacked, layerConf().directions(), d);
  }

  @Override
  public void clear() {
    super.clear();
    pass = null;
  }
}
