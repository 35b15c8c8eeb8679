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
 */
final class FloatGruCells extends GruCells {
  /** Input projection plus bias, {@code [steps * batch, 3u]}: the pre-activations without U. */
  private final float[] xw;
  /** Activated reset, update and candidate of every step, {@code [steps * batch, 3u]}. */
  private final float[] act;
  /** The candidate's recurrent product {@code h_(s-1) Uc} of every step, {@code [steps*batch, u]}. */
  private final float[] recC;
  /** Hidden states, {@code [(steps + 1) * batch, u]}, block 0 the zero initial state. */
  private final float[] hs;
  /** Gradients of the input projection's pre-activations, {@code [steps * batch, 3u]}. */
  private final float[] dxw;
  /** One step's recurrent product and its gradient, {@code [batch, 3u]}. */
  private final float[] rec;
  private final float[] drec;
  /** dL/dh of the step being processed, and the part through U from the step after it. */
  private final float[] dh;
  private final float[] dhU;
  /** Heap copies for the layout changes. */
  private final float[] ncw;
  private final float[] x;

  FloatGruCells(int batch, int steps, int nIn, int units) {
    super(batch, steps, nIn, units);
    int gates = steps * batch * 3 * units;
    xw = new float[gates];
    act = new float[gates];
    dxw = new float[gates];
    recC = new float[steps * batch * units];
    hs = new float[(steps + 1) * batch * units];
    rec = new float[batch * 3 * units];
    drec = new float[batch * 3 * units];
    dh = new float[batch * units];
    dhU = new float[batch * units];
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
  void project(INDArray xwArray, INDArray bias) {
    NativeFloats.of(xwArray).get(0, xw, 0, xw.length);
    float[] b = bias.toFloatVector();
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
      Arrays.fill(rec, 0f);
    } else {
      NativeFloats.of(recArray).get(0, rec, 0, rec.length);
    }
    // Short loops over few arrays: C2 (JDK 17) vectorises these and gives up on one fused
    // loop (FloatCellSteps measured 6 ns per element fused against 0.5 split).
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int q = j * w;
      for (int k = 0; k < 2 * n; k++) {
        act[a + k] = FloatActivations.sigmoid(xw[a + k] + rec[q + k]);
      }
    }
    for (int j = 0; j < batch; j++) {
      System.arraycopy(rec, j * w + 2 * n, recC, prev + j * n, n);
    }
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int c = prev + j * n;
      for (int k = 0; k < n; k++) {
        act[a + 2 * n + k] = FloatActivations.tanh(xw[a + 2 * n + k] + act[a + k] * recC[c + k]);
      }
    }
    for (int j = 0; j < batch; j++) {
      int a = g0 + j * w;
      int p = prev + j * n;
      int o = next + j * n;
      for (int k = 0; k < n; k++) {
        float u = act[a + n + k];
        float c = act[a + 2 * n + k];
        hs[o + k] = c + u * (hs[p + k] - c);
      }
    }
    NativeFloats.of(hidden).put(next, hs, next, batch * n);
  }

  @Override
  void lastHidden(INDArray out) {
    NativeFloats.of(out).put(0, hs, steps * batch * units, batch * units);
  }

  @Override
  void lastHiddenEpsilon(INDArray epsilon) {
    NativeFloats.of(epsilon).get(0, dh, 0, dh.length);
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
        float r = act[a + k];
        float u = act[a + n + k];
        float c = act[a + 2 * n + k];
        float g = dh[m + k];
        float dc = g * (1 - u) * (1 - c * c);
        float du = g * (hs[p + k] - c) * u * (1 - u);
        float dr = dc * recC[p + k] * r * (1 - r);
        dxw[a + k] = dr;
        dxw[a + n + k] = du;
        dxw[a + 2 * n + k] = dc;
        drec[q + k] = dr;
        drec[q + n + k] = du;
        drec[q + 2 * n + k] = dc * r;
        dh[m + k] = g * u;
      }
    }
    NativeFloats.of(drecArray).put(s * batch * w, drec, 0, drec.length);
  }

  @Override
  void addRecurrentEpsilon(INDArray dhUArray) {
    NativeFloats.of(dhUArray).get(0, dhU, 0, dhU.length);
    for (int k = 0; k < dh.length; k++) {
      dh[k] += dhU[k];
    }
  }

  @Override
  void projectionGradients(INDArray dxwArray) {
    NativeFloats.of(dxwArray).put(0, dxw, 0, dxw.length);
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
