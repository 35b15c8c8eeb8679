package io.tracecast.kernels.gru;

import io.tracecast.kernels.buffer.NativeDoubles;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link GruCells} in double precision with exact activations ({@code Math.tanh}, the logistic
 * function through {@code Math.exp}): the path DL4J's gradient check verifies, and the reference
 * {@link FloatGruCells} is tested against. Line for line the float maths and layout (see there).
 */
final class DoubleGruCells extends GruCells {
  /** Input projection plus bias per gate: the pre-activations without the recurrent part. */
  private final double[] xr;
  private final double[] xu;
  private final double[] xc;
  /** The recurrent products {@code h_(s-1) U} per gate. */
  private final double[] recR;
  private final double[] recU;
  private final double[] recC;
  /** Activated reset, update and candidate. */
  private final double[] r;
  private final double[] u;
  private final double[] c;
  /** h_(s-1) (block 0 the zero initial state) and h_s of every step s. */
  private final double[] hPrev;
  private final double[] hNew;
  /** Backward: dL/dh_s, the gates' pre-activation gradients, r dC, and dL/dh_s * u. */
  private final double[] dh;
  private final double[] dR;
  private final double[] dU;
  private final double[] dC;
  private final double[] dCr;
  private final double[] carry;
  /** The part of dL/dh_(s-1) through U, copied from native memory. */
  private final double[] dhU;
  /**
   * {@code [steps * batch, 3u]}: the input projection as the GEMM left it (forward), then the
   * gradients of its pre-activations (backward).
   */
  private final double[] wide;
  /** One step's rows, {@code [batch, 3u]}: the recurrent product, then its gradient. */
  private final double[] rowsOf3;
  /** Heap copies for the layout changes. */
  private final double[] ncw;
  private final double[] x;

  DoubleGruCells(int batch, int steps, int nIn, int units) {
    super(batch, steps, nIn, units);
    int all = steps * batch * units;
    xr = new double[all];
    xu = new double[all];
    xc = new double[all];
    recR = new double[all];
    recU = new double[all];
    recC = new double[all];
    r = new double[all];
    u = new double[all];
    c = new double[all];
    hPrev = new double[all];
    hNew = new double[all];
    dh = new double[all];
    dR = new double[all];
    dU = new double[all];
    dC = new double[all];
    dCr = new double[all];
    carry = new double[all];
    dhU = new double[all];
    wide = new double[3 * all];
    rowsOf3 = new double[3 * batch * units];
    ncw = new double[batch * nIn * steps];
    x = new double[batch * nIn * steps];
  }

  @Override
  DataType dataType() {
    return DataType.DOUBLE;
  }

  @Override
  void inputSteps(INDArray ncwArray, INDArray xArray) {
    NativeDoubles.of(ncwArray).get(0, ncw, 0, ncw.length);
    for (int j = 0; j < batch; j++) {
      for (int i = 0; i < nIn; i++) {
        int from = (j * nIn + i) * steps;
        for (int s = 0; s < steps; s++) {
          x[(s * batch + j) * nIn + i] = ncw[from + s];
        }
      }
    }
    NativeDoubles.of(xArray).put(0, x, 0, x.length);
  }

  @Override
  void project(INDArray xwArray) {
    NativeDoubles.of(xwArray).get(0, wide, 0, wide.length);
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
      Arrays.fill(recR, o, end, 0.0);
      Arrays.fill(recU, o, end, 0.0);
      Arrays.fill(recC, o, end, 0.0);
    } else {
      NativeDoubles.of(recArray).get(0, rowsOf3, 0, rowsOf3.length);
      for (int j = 0; j < batch; j++) {
        System.arraycopy(rowsOf3, 3 * n * j, recR, o + n * j, n);
        System.arraycopy(rowsOf3, 3 * n * j + n, recU, o + n * j, n);
        System.arraycopy(rowsOf3, 3 * n * j + 2 * n, recC, o + n * j, n);
      }
    }
    double[] r = this.r;
    double[] u = this.u;
    double[] c = this.c;
    double[] xr = this.xr;
    double[] xu = this.xu;
    double[] xc = this.xc;
    double[] recR = this.recR;
    double[] recU = this.recU;
    double[] recC = this.recC;
    double[] hPrev = this.hPrev;
    double[] hNew = this.hNew;
    for (int i = o; i < end; i++) {
      r[i] = sigmoid(xr[i] + recR[i]);
    }
    for (int i = o; i < end; i++) {
      u[i] = sigmoid(xu[i] + recU[i]);
    }
    for (int i = o; i < end; i++) {
      c[i] = Math.tanh(xc[i] + r[i] * recC[i]);
    }
    for (int i = o; i < end; i++) {
      hNew[i] = c[i] + u[i] * (hPrev[i] - c[i]);
    }
    if (s + 1 < steps) {
      System.arraycopy(hNew, o, hPrev, end, block);
    }
    NativeDoubles.of(hidden).put(end, hNew, o, block);
  }

  @Override
  void lastHidden(INDArray out) {
    int block = batch * units;
    NativeDoubles.of(out).put(0, hNew, (steps - 1) * block, block);
  }

  @Override
  void lastHiddenEpsilon(INDArray epsilon) {
    int block = batch * units;
    NativeDoubles.of(epsilon).get(0, dh, (steps - 1) * block, block);
  }

  @Override
  void gateGradients(int s, INDArray drecArray) {
    int n = units;
    int block = batch * n;
    int o = s * block;
    int end = o + block;
    double[] r = this.r;
    double[] u = this.u;
    double[] c = this.c;
    double[] recC = this.recC;
    double[] hPrev = this.hPrev;
    double[] dh = this.dh;
    double[] dR = this.dR;
    double[] dU = this.dU;
    double[] dC = this.dC;
    double[] dCr = this.dCr;
    double[] carry = this.carry;
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
    NativeDoubles.of(drecArray).put(3 * o, rowsOf3, 0, rowsOf3.length);
  }

  @Override
  void previousEpsilon(int s, INDArray dhUArray) {
    int block = batch * units;
    int o = (s - 1) * block;
    int end = o + block;
    NativeDoubles.of(dhUArray).get(0, dhU, o, block);
    System.arraycopy(carry, o + block, dh, o, block);
    double[] dh = this.dh;
    double[] dhU = this.dhU;
    for (int i = o; i < end; i++) {
      dh[i] += dhU[i];
    }
  }

  @Override
  void projectionGradients(INDArray dxwArray) {
    NativeDoubles.of(dxwArray).put(0, wide, 0, wide.length);
  }

  @Override
  void stepsToNcw(INDArray dxArray, INDArray eps) {
    NativeDoubles.of(dxArray).get(0, x, 0, x.length);
    for (int j = 0; j < batch; j++) {
      for (int i = 0; i < nIn; i++) {
        int to = (j * nIn + i) * steps;
        for (int s = 0; s < steps; s++) {
          ncw[to + s] = x[(s * batch + j) * nIn + i];
        }
      }
    }
    NativeDoubles.of(eps).put(0, ncw, 0, ncw.length);
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
