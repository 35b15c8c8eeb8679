package io.tracecast.kernels.gru;

import io.tracecast.kernels.buffer.NativeDoubles;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link GruCells} in double precision with exact activations ({@code Math.tanh}, the logistic
 * function through {@code Math.exp}): the path DL4J's gradient check verifies, and the reference
 * {@link FloatGruCells} is tested against. Line for line the float maths; nothing here is tuned.
 */
final class DoubleGruCells extends GruCells {
  /** Input projection plus bias, {@code [steps * batch, 3u]}: the pre-activations without U. */
  private final double[] xw;
  /** Activated reset, update and candidate of every step, {@code [steps * batch, 3u]}. */
  private final double[] act;
  /** The candidate's recurrent product {@code h_(s-1) Uc} of every step, {@code [steps*batch, u]}. */
  private final double[] recC;
  /** Hidden states, {@code [(steps + 1) * batch, u]}, block 0 the zero initial state. */
  private final double[] hs;
  /** Gradients of the input projection's pre-activations, {@code [steps * batch, 3u]}. */
  private final double[] dxw;
  /** One step's recurrent product and its gradient, {@code [batch, 3u]}. */
  private final double[] rec;
  private final double[] drec;
  /** dL/dh of the step being processed, and the part through U from the step after it. */
  private final double[] dh;
  private final double[] dhU;
  /** Heap copies for the layout changes. */
  private final double[] ncw;
  private final double[] x;

  DoubleGruCells(int batch, int steps, int nIn, int units) {
    super(batch, steps, nIn, units);
    int gates = steps * batch * 3 * units;
    xw = new double[gates];
    act = new double[gates];
    dxw = new double[gates];
    recC = new double[steps * batch * units];
    hs = new double[(steps + 1) * batch * units];
    rec = new double[batch * 3 * units];
    drec = new double[batch * 3 * units];
    dh = new double[batch * units];
    dhU = new double[batch * units];
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
  void project(INDArray xwArray, INDArray bias) {
    NativeDoubles.of(xwArray).get(0, xw, 0, xw.length);
    double[] b = bias.toDoubleVector();
    int w = b.length;
    for (int row = 0; row < xw.length; row += w) {
      for (int k = 0; k < w; k++) {
        xw[row + k] += b[k];
      }
    }
  }

  @Override
  void step(int s, INDArray recArray, INDArray hidden) {
    int n = units;
    int w = 3 * n;
    int g0 = s * batch * w;
    int prev = s * batch * n;
    int next = prev + batch * n;
    if (recArray == null) {
      Arrays.fill(rec, 0.0);
    } else {
      NativeDoubles.of(recArray).get(0, rec, 0, rec.length);
    }
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int q = j * w;
      for (int k = 0; k < 2 * n; k++) {
        act[a + k] = sigmoid(xw[a + k] + rec[q + k]);
      }
    }
    for (int j = 0; j < batch; j++) {
      System.arraycopy(rec, j * w + 2 * n, recC, prev + j * n, n);
    }
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int c = prev + j * n;
      for (int k = 0; k < n; k++) {
        act[a + 2 * n + k] = Math.tanh(xw[a + 2 * n + k] + act[a + k] * recC[c + k]);
      }
    }
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int p = prev + j * n;
      int o = next + j * n;
      for (int k = 0; k < n; k++) {
        double u = act[a + n + k];
        double c = act[a + 2 * n + k];
        hs[o + k] = c + u * (hs[p + k] - c);
      }
    }
    NativeDoubles.of(hidden).put(next, hs, next, batch * n);
  }

  @Override
  void lastHidden(INDArray out) {
    NativeDoubles.of(out).put(0, hs, steps * batch * units, batch * units);
  }

  @Override
  void lastHiddenEpsilon(INDArray epsilon) {
    NativeDoubles.of(epsilon).get(0, dh, 0, dh.length);
  }

  @Override
  void gateGradients(int s, INDArray drecArray) {
    int n = units;
    int w = 3 * n;
    int g0 = s * batch * w;
    int prev = s * batch * n;
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int q = j * w;
      int p = prev + j * n;
      int m = j * n;
      for (int k = 0; k < n; k++) {
        double r = act[a + k];
        double u = act[a + n + k];
        double c = act[a + 2 * n + k];
        double g = dh[m + k];
        double dc = g * (1 - u) * (1 - c * c);
        double du = g * (hs[p + k] - c) * u * (1 - u);
        double dr = dc * recC[p + k] * r * (1 - r);
        dxw[a + k] = dr;
        dxw[a + n + k] = du;
        dxw[a + 2 * n + k] = dc;
        drec[q + k] = dr;
        drec[q + n + k] = du;
        drec[q + 2 * n + k] = dc * r;
        dh[m + k] = g * u;
      }
    }
    NativeDoubles.of(drecArray).put(s * batch * w, drec, 0, drec.length);
  }

  @Override
  void addRecurrentEpsilon(INDArray dhUArray) {
    NativeDoubles.of(dhUArray).get(0, dhU, 0, dhU.length);
    for (int k = 0; k < dh.length; k++) {
      dh[k] += dhU[k];
    }
  }

  @Override
  void projectionGradients(INDArray dxwArray) {
    NativeDoubles.of(dxwArray).put(0, dxw, 0, dxw.length);
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
