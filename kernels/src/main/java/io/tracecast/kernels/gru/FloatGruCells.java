package io.tracecast.kernels.gru;

import io.tracecast.kernels.activation.FloatActivations;
import io.tracecast.kernels.buffer.NativeFloats;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link GruCells} for float32 networks: per step one bulk copy of the recurrent product out of
 * native memory, plain loops over {@code float[]} that C2 vectorises (activations by
 * {@link FloatActivations}), one bulk copy of the hidden state back, as the fused LSTM's
 * {@code FloatCellSteps} does (bench/README.md, issue 11: per-element native access cost 5-8 ns,
 * a native sigmoid or tanh call 15-20 us of dispatch). The same maths as {@link DoubleGruCells},
 * which the tests check this against.
 *
 * <p>Layout, for C2's vectoriser (JDK 17): every array below is {@code [steps * batch, units]},
 * step s at offset {@code s * batch * units}, and each loop runs over one step's block with the
 * same index into every array it touches. A loop whose arrays are indexed at different offsets
 * (a per-step scratch at 0 beside the step's block at s * batch * units) or that reads and writes
 * one array at two offsets is not vectorised: {@code d[o + i] = sigmoid(x[o + i] + y[i])} ran at
 * 10-15 ns per element, the same with one index at 1.3-1.9 (measured on this 2-core AMD EPYC,
 * AVX2, under load). So the previous hidden state of each step has its own array ({@link #hPrev},
 * a copy of {@link #hNew} one block on), dL/dh of step s-1 starts as a copy of what step s
 * carries back, and the bias is added by the layer's GEMM. The interleaved {@code [rows, 3 units]}
 * layout of the GEMM operands (columns reset, update, candidate) is taken apart and put back
 * together by row copies.
 */
final class FloatGruCells extends GruCells {
  /** Input projection plus bias per gate: the pre-activations without the recurrent part. */
  private final float[] xr;
  private final float[] xu;
  private final float[] xc;
  /** The recurrent products {@code h_(s-1) U} per gate. */
  private final float[] recR;
  private final float[] recU;
  private final float[] recC;
  /** Activated reset, update and candidate. */
  private final float[] r;
  private final float[] u;
  private final float[] c;
  /** h_(s-1) (block 0 the zero initial state) and h_s of every step s. */
  private final float[] hPrev;
  private final float[] hNew;
  /** Backward: dL/dh_s, the gates' pre-activation gradients, r dC, and dL/dh_s * u. */
  private final float[] dh;
  private final float[] dR;
  private final float[] dU;
  private final float[] dC;
  private final float[] dCr;
  private final float[] carry;
  /** The part of dL/dh_(s-1) through U, copied from native memory. */
  private final float[] dhU;
  /**
   * {@code [steps * batch, 3u]}: the input projection as the GEMM left it (forward), then the
   * gradients of its pre-activations (backward).
   */
  private final float[] wide;
  /** One step's rows, {@code [batch, 3u]}: the recurrent product, then its gradient. */
  private final float[] rowsOf3;
  /** Heap copies for the layout changes. */
  private final float[] ncw;
  private final float[] x;

  FloatGruCells(int batch, int steps, int nIn, int units) {
    super(batch, steps, nIn, units);
    int all = steps * batch * units;
    xr = new float[all];
    xu = new float[all];
    xc = new float[all];
    recR = new float[all];
    recU = new float[all];
    recC = new float[all];
    r = new float[all];
    u = new float[all];
    c = new float[all];
    hPrev = new float[all];
    hNew = new float[all];
    dh = new float[all];
    dR = new float[all];
    dU = new float[all];
    dC = new float[all];
    dCr = new float[all];
    carry = new float[all];
    dhU = new float[all];
    wide = new float[3 * all];
    rowsOf3 = new float[3 * batch * units];
    ncw = new float[batch * nIn * steps];
    x = new float[batch * nIn * steps];
  }

  @Override
  DataType dataType() {
    return DataType.FLOAT;
  }

  @Override
  void inputSteps(INDArray ncwArray, INDArray xArray) {
    NativeFloats.of(ncwArray).get(0, ncw, 0, ncw.length);
    for (int j = 0; j < batch; j++) {
      for (int i = 0; i < nIn; i++) {
        int from = (j * nIn + i) * steps;
        for (int s = 0; s < steps; s++) {
          x[(s * batch + j) * nIn + i] = ncw[from + s];
        }
      }
    }
    NativeFloats.of(xArray).put(0, x, 0, x.length);
  }

  @Override
  void project(INDArray xwArray) {
    NativeFloats.of(xwArray).get(0, wide, 0, wide.length);
    int n = units;
    for (int row = 0; row < steps * batch; row++) {
      System.arraycopy(wide, 3 * n * row, xr, n * row, n);
      System.arraycopy(wide, 3 * n * row + n, xu, n * row, n);
      System.arraycopy(wide, 3 * n * row + 2 * n, xc, n * row, n);
    }
  }

  @Override
  void step(int s, INDArray recArray, INDArray hidden) {
    int n = units;
    int block = batch * n;
    int o = s * block;
    int end = o + block;
    if (recArray == null) {
      Arrays.fill(recR, o, end, 0f);
      Arrays.fill(recU, o, end, 0f);
      Arrays.fill(recC, o, end, 0f);
    } else {
      NativeFloats.of(recArray).get(0, rowsOf3, 0, rowsOf3.length);
      for (int j = 0; j < batch; j++) {
        System.arraycopy(rowsOf3, 3 * n * j, recR, o + n * j, n);
        System.arraycopy(rowsOf3, 3 * n * j + n, recU, o + n * j, n);
        System.arraycopy(rowsOf3, 3 * n * j + 2 * n, recC, o + n * j, n);
      }
    }
    float[] r = this.r;
    float[] u = this.u;
    float[] c = this.c;
    float[] xr = this.xr;
    float[] xu = this.xu;
    float[] xc = this.xc;
    float[] recR = this.recR;
    float[] recU = this.recU;
    float[] recC = this.recC;
    float[] hPrev = this.hPrev;
    float[] hNew = this.hNew;
    for (int i = o; i < end; i++) {
      r[i] = FloatActivations.sigmoid(xr[i] + recR[i]);
    }
    for (int i = o; i < end; i++) {
      u[i] = FloatActivations.sigmoid(xu[i] + recU[i]);
    }
    for (int i = o; i < end; i++) {
      c[i] = FloatActivations.tanh(xc[i] + r[i] * recC[i]);
    }
    for (int i = o; i < end; i++) {
      hNew[i] = c[i] + u[i] * (hPrev[i] - c[i]);
    }
    if (s + 1 < steps) {
      System.arraycopy(hNew, o, hPrev, end, block);
    }
    NativeFloats.of(hidden).put(end, hNew, o, block);
  }

  @Override
  void lastHidden(INDArray out) {
    int block = batch * units;
    NativeFloats.of(out).put(0, hNew, (steps - 1) * block, block);
  }

  @Override
  void lastHiddenEpsilon(INDArray epsilon) {
    int block = batch * units;
    NativeFloats.of(epsilon).get(0, dh, (steps - 1) * block, block);
  }

  @Override
  void gateGradients(int s, INDArray drecArray) {
    int n = units;
    int block = batch * n;
    int o = s * block;
    int end = o + block;
    float[] r = this.r;
    float[] u = this.u;
    float[] c = this.c;
    float[] recC = this.recC;
    float[] hPrev = this.hPrev;
    float[] dh = this.dh;
    float[] dR = this.dR;
    float[] dU = this.dU;
    float[] dC = this.dC;
    float[] dCr = this.dCr;
    float[] carry = this.carry;
    for (int i = o; i < end; i++) {
      dC[i] = dh[i] * (1 - u[i]) * (1 - c[i] * c[i]);
    }
    for (int i = o; i < end; i++) {
      dU[i] = dh[i] * (hPrev[i] - c[i]) * u[i] * (1 - u[i]);
    }
    for (int i = o; i < end; i++) {
      dR[i] = dC[i] * recC[i] * r[i] * (1 - r[i]);
    }
    for (int i = o; i < end; i++) {
      dCr[i] = dC[i] * r[i];
    }
    for (int i = o; i < end; i++) {
      carry[i] = dh[i] * u[i];
    }
    // The input projection's gradient (dR, dU, dC) and the recurrent product's (dR, dU, r dC),
    // interleaved as [rows, 3u] for the products.
    for (int j = 0; j < batch; j++) {
      int from = o + n * j;
      int a = 3 * from;
      int q = 3 * n * j;
      System.arraycopy(dR, from, wide, a, n);
      System.arraycopy(dU, from, wide, a + n, n);
      System.arraycopy(dC, from, wide, a + 2 * n, n);
      System.arraycopy(dR, from, rowsOf3, q, n);
      System.arraycopy(dU, from, rowsOf3, q + n, n);
      System.arraycopy(dCr, from, rowsOf3, q + 2 * n, n);
    }
    NativeFloats.of(drecArray).put(3 * o, rowsOf3, 0, rowsOf3.length);
  }

  @Override
  void previousEpsilon(int s, INDArray dhUArray) {
    int block = batch * units;
    int o = (s - 1) * block;
    int end = o + block;
    NativeFloats.of(dhUArray).get(0, dhU, o, block);
    System.arraycopy(carry, o + block, dh, o, block);
    float[] dh = this.dh;
    float[] dhU = this.dhU;
    for (int i = o; i < end; i++) {
      dh[i] += dhU[i];
    }
  }

  @Override
  void projectionGradients(INDArray dxwArray) {
    NativeFloats.of(dxwArray).put(0, wide, 0, wide.length);
  }

  @Override
  void stepsToNcw(INDArray dxArray, INDArray eps) {
    NativeFloats.of(dxArray).get(0, x, 0, x.length);
    for (int j = 0; j < batch; j++) {
      for (int i = 0; i < nIn; i++) {
        int to = (j * nIn + i) * steps;
        for (int s = 0; s < steps; s++) {
          ncw[to + s] = x[(s * batch + j) * nIn + i];
        }
      }
    }
    NativeFloats.of(eps).put(0, ncw, 0, ncw.length);
  }
}
