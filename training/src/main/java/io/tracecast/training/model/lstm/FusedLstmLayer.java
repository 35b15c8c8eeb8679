package io.tracecast.training.model.lstm;

import static io.tracecast.training.model.lstm.FusedLstmParams.BIAS;
import static io.tracecast.training.model.lstm.FusedLstmParams.INPUT_WEIGHTS;
import static io.tracecast.training.model.lstm.FusedLstmParams.RECURRENT_WEIGHTS;

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
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The network-side implementation of {@link FusedLstm}. All buffers are time-major
 * {@link StepBuffer}s in processing order: the backward direction runs as a forward LSTM over
 * the time-reversed input (as DL4J's {@code Bidirectional} does), so at loop step s both
 * directions sit in the same row block and one element-wise op covers both.
 *
 * <p>Forward keeps what backward needs (the time-major input, gate pre-activations and
 * activations, cell states, their tanh, hidden states) in the ACTIVATIONS workspace when
 * training, which DL4J keeps open until the backward pass has run; backward recomputes them in
 * BP_WORKING_MEM if it gets an input it did not see (e.g. a caller that skipped the forward).
 */
final class FusedLstmLayer extends BaseLayer<FusedLstm> {
  private static final long serialVersionUID = 1L;

  /** Forward state for backward, for the (post-dropout) input it was computed from. */
  private transient Pass pass;

  FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /**
   * Buffers of one forward pass, [directions, rows, width] each: x (input, [T*b, nIn]), zPre and
   * act (gates, [T*b, 4H]; columns input, forget, output, candidate), cell and hidden
   * ([(T+1)*b, H], block 0 the zero initial state, step s at block s+1), cellTanh ([T*b, H]).
   */
  private record Pass(INDArray input, long batch, long steps, StepBuffer x, StepBuffer zPre,
      StepBuffer act, StepBuffer cell, StepBuffer cellTanh, StepBuffer hidden) {}

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
    return output(p, mgr);
  }

  private INDArray ncwInput() {
    INDArray in = input.castTo(dataType);
    return layerConf().getRnnDataFormat() == RNNFormat.NWC ? in.permute(0, 2, 1) : in;
  }

  private StepBuffer buffer(LayerWorkspaceMgr mgr, ArrayType type, long rows, long width,
      long batch, boolean zeroed) {
    long[] shape = {layerConf().directions(), rows, width};
    INDArray a = zeroed ? mgr.create(type, dataType, shape, 'c')
        : mgr.createUninitialized(type, dataType, shape, 'c');
    return new StepBuffer(a, batch);
  }

  private Pass forward(boolean training, ArrayType type, LayerWorkspaceMgr mgr) {
    INDArray in = ncwInput();
    long b = in.size(0);
    long nIn = in.size(1);
    long t = in.size(2);
    long h = layerConf().units();
    int dirs = layerConf().directions();
    INDArray w = getParamWithNoise(INPUT_WEIGHTS, training, mgr);
    INDArray rw = getParamWithNoise(RECURRENT_WEIGHTS, training, mgr);
    INDArray bias = getParamWithNoise(BIAS, training, mgr);

    StepBuffer x = buffer(mgr, type, t * b, nIn, b, false);
    x.steps(0, 0, t).assign(in.permute(2, 0, 1));
    if (dirs == 2) {
      Nd4j.exec(new Reverse(x.steps(0, 0, t), x.steps(1, 0, t), 0));
    }
    StepBuffer zPre = buffer(mgr, type, t * b, 4 * h, b, false);
    StepBuffer act = buffer(mgr, type, t * b, 4 * h, b, false);
    StepBuffer cell = buffer(mgr, type, (t + 1) * b, h, b, true);
    StepBuffer cellTanh = buffer(mgr, type, t * b, h, b, false);
    StepBuffer hidden = buffer(mgr, type, (t + 1) * b, h, b, true);
    INDArray[] rwDir = new INDArray[dirs];
    for (int d = 0; d < dirs; d++) {
      INDArray z = zPre.rows(d, 0, t);
      Nd4j.gemm(x.rows(d, 0, t), rows(w, d, nIn), z, false, false, 1.0, 0.0);
      z.addiRowVector(rows(bias, d, 1));
      rwDir[d] = rows(rw, d, h);
    }
    INDArray tmp = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType,
        new long[] {dirs, b, h}, 'c');
    for (long s = 0; s < t; s++) {
      if (s > 0) {
        for (int d = 0; d < dirs; d++) {
          Nd4j.gemm(hidden.block(d, s), rwDir[d], zPre.block(d, s), false, false, 1.0, 1.0);
        }
      }
      Nd4j.exec(new Sigmoid(zPre.step(s, 0, 3 * h), act.step(s, 0, 3 * h)));
      Nd4j.exec(new Tanh(zPre.step(s, 3 * h, h), act.step(s, 3 * h, h)));
      INDArray c = cell.step(s + 1, 0, h);
      mul(act.step(s, 0, h), act.step(s, 3 * h, h), c);
      if (s > 0) {
        mul(act.step(s, h, h), cell.step(s, 0, h), tmp);
        c.addi(tmp);
      }
      INDArray tc = cellTanh.step(s, 0, h);
      Nd4j.exec(new Tanh(c, tc));
      mul(act.step(s, 2 * h, h), tc, hidden.step(s + 1, 0, h));
    }
    return new Pass(input, b, t, x, zPre, act, cell, cellTanh, hidden);
  }

  /** The hidden states as [batch, directions * H, time], back in time order. */
  private INDArray output(Pass p, LayerWorkspaceMgr mgr) {
    long h = layerConf().units();
    int dirs = layerConf().directions();
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
        new long[] {p.batch(), dirs * h, p.steps()}, 'c');
    out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h), NDArrayIndex.all())
        .permute(2, 0, 1).assign(p.hidden().steps(0, 1, p.steps()));
    if (dirs == 2) {
      INDArray reversed = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType,
          new long[] {p.steps(), p.batch(), h}, 'c');
      Nd4j.exec(new Reverse(p.hidden().steps(1, 1, p.steps()), reversed, 0));
      out.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h), NDArrayIndex.all())
          .permute(2, 0, 1).assign(reversed);
    }
    return layerConf().getRnnDataFormat() == RNNFormat.NWC ? out.permute(0, 2, 1) : out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Pass p = pass != null && pass.input() == input ? pass
        : forward(true, ArrayType.BP_WORKING_MEM, mgr);
    pass = null;
    INDArray eps = epsilon.castTo(dataType);
    if (layerConf().getRnnDataFormat() == RNNFormat.NWC) {
      eps = eps.permute(0, 2, 1);
    }
    long b = p.batch();
    long t = p.steps();
    long h = layerConf().units();
    long nIn = layerConf().getNIn();
    int dirs = layerConf().directions();
    INDArray w = getParamWithNoise(INPUT_WEIGHTS, true, mgr);
    INDArray rw = getParamWithNoise(RECURRENT_WEIGHTS, true, mgr);

    // dL/dh per step, processing order: the epsilon from above, plus (added in the loop) the
    // recurrent contribution of the step processed after it.
    StepBuffer dh = buffer(mgr, ArrayType.BP_WORKING_MEM, t * b, h, b, false);
    dh.steps(0, 0, t).assign(
        eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h), NDArrayIndex.all())
            .permute(2, 0, 1));
    if (dirs == 2) {
      INDArray back = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h),
          NDArrayIndex.all()).permute(2, 0, 1).dup('c');
      Nd4j.exec(new Reverse(back, dh.steps(1, 0, t), 0));
    }
    StepBuffer dz = buffer(mgr, ArrayType.BP_WORKING_MEM, t * b, 4 * h, b, false);
    long[] state = {dirs, b, h};
    INDArray dc = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, state, 'c');
    INDArray carry = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, state, 'c');
    INDArray tmp = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, state, 'c');
    INDArray[] rwDir = new INDArray[dirs];
    for (int d = 0; d < dirs; d++) {
      rwDir[d] = rows(rw, d, h);
    }
    StepBuffer act = p.act();
    for (long s = t - 1; s >= 0; s--) {
      if (s < t - 1) {
        for (int d = 0; d < dirs; d++) {
          Nd4j.gemm(dz.block(d, s + 1), rwDir[d], dh.block(d, s), false, true, 1.0, 1.0);
        }
      }
      INDArray dhs = dh.step(s, 0, h);
      mul(dhs, p.cellTanh().step(s, 0, h), dz.step(s, 2 * h, h)); // dL/d(output gate)
      mul(dhs, act.step(s, 2 * h, h), tmp);
      Nd4j.exec(new TanhDerivative(p.cell().step(s + 1, 0, h), tmp, dc)); // dL/dc via h
      if (s < t - 1) {
        dc.addi(carry); // via the next step's cell state
      }
      mul(dc, act.step(s, 3 * h, h), dz.step(s, 0, h)); // dL/d(input gate)
      mul(dc, p.cell().step(s, 0, h), dz.step(s, h, h)); // dL/d(forget gate)
      mul(dc, act.step(s, 0, h), dz.step(s, 3 * h, h)); // dL/d(candidate)
      if (s > 0) {
        mul(dc, act.step(s, h, h), carry);
      }
      INDArray gates = dz.step(s, 0, 3 * h);
      Nd4j.exec(new SigmoidDerivative(p.zPre().step(s, 0, 3 * h), gates, gates));
      INDArray cand = dz.step(s, 3 * h, h);
      Nd4j.exec(new TanhDerivative(p.zPre().step(s, 3 * h, h), cand, cand));
    }

    INDArray gW = gradientViews.get(INPUT_WEIGHTS);
    INDArray gRw = gradientViews.get(RECURRENT_WEIGHTS);
    INDArray gB = gradientViews.get(BIAS);
    INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
        new long[] {b, nIn, t}, 'c');
    INDArray epsTimeMajor = epsOut.permute(2, 0, 1);
    INDArray dx = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
        new long[] {t, b, nIn}, 'c');
    INDArray dx2d = dx.reshape('c', t * b, nIn);
    for (int d = 0; d < dirs; d++) {
      INDArray dzd = dz.rows(d, 0, t);
      Nd4j.gemm(p.x().rows(d, 0, t), dzd, rows(gW, d, nIn), true, false, 1.0, 0.0);
      Nd4j.gemm(p.hidden().rows(d, 0, t), dzd, rows(gRw, d, h), true, false, 1.0, 0.0);
      rows(gB, d, 1).assign(dzd.sum(0));
      Nd4j.gemm(dzd, rows(w, d, nIn), dx2d, false, true, 1.0, 0.0);
      if (d == 0) {
        epsTimeMajor.assign(dx);
      } else {
        INDArray reversed = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
            dx.shape(), 'c');
        Nd4j.exec(new Reverse(dx, reversed, 0));
        epsTimeMajor.addi(reversed);
      }
    }
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.setGradientFor(INPUT_WEIGHTS, gW);
    g.setGradientFor(RECURRENT_WEIGHTS, gRw);
    g.setGradientFor(BIAS, gB);
    weightNoiseParams.clear();
    INDArray out = layerConf().getRnnDataFormat() == RNNFormat.NWC ? epsOut.permute(0, 2, 1)
        : epsOut;
    return new Pair<>(g, backpropDropOutIfPresent(out));
  }

  /** Direction d's contiguous block of rows of a direction-stacked parameter or gradient. */
  private INDArray rows(INDArray stacked, int d, long n) {
    return FusedLstmParams.direction(stacked, layerConf().directions(), d);
  }

  private static void mul(INDArray a, INDArray b, INDArray out) {
    Nd4j.exec(new MulOp(a, b, out));
  }

  @Override
  public void clear() {
    super.clear();
    pass = null;
  }
}
