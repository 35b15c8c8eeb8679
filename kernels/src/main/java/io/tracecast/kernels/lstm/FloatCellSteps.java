package io.tracecast.kernels.lstm;

import io.tracecast.kernels.activation.FloatActivations;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntBinaryOperator;

/**
 * The per-step LSTM cell maths of {@link LstmCells} for float32 networks (every network the
 * builder makes) on the heap: per direction and step one bulk copy of the gate pre-activations
 * out of native memory (where the recurrent GEMM left them), one plain loop over {@code float[]}
 * that C2 unrolls and vectorises (activations by {@link FloatActivations}, cell state, its tanh,
 * hidden state), one bulk copy of the hidden state back (the next GEMM's operand). The
 * activated gates, cell states and their tanh of the whole pass stay here for backward, which
 * copies in only dL/dh and copies out dL/dz. Measured on the bilstm_attention fit, the same
 * maths through {@link Buf}'s per-element {@code FloatBuffer} access (bounds check, float/double
 * conversion, no vectorisation) cost 5-8 ns per element, the copies about 0.1 ns per byte, and
 * each native sigmoid or tanh call 15-20 us of dispatch on top of its element work.
 * Buffers and their layout are {@link LstmCells}'s; the double-precision path (gradient checks)
 * stays there, on ND4J's native sigmoid and tanh.
 */
final class FloatCellSteps {
  private final int dirs;
  private final int batch;
  private final int steps;
  private final int h;
  /**
   * The activated gates of the whole last forward pass, {@code [dirs, steps * batch, 4H]} like
   * the native gate buffer (which keeps the pre-activations): backward reads them here.
   * Like {@link #cells} and {@link #cellTanh}, valid for the pass the layer stored.
   */
  private final float[] gates;
  /** Cell states of the last forward pass, {@code [dirs, (steps + 1) * batch, H]}, block 0 zero. */
  private final float[] cells;
  /** tanh of those cell states, {@code [dirs, steps * batch, H]}. */
  private final float[] cellTanh;
  private final float[] dz;
  /** One step's previous cell state, cell state, its tanh, hidden state: loop scratch. */
  private final float[] prev;
  private final float[] cell;
  private final float[] tanhC;
  private final float[] next;
  private final float[] dh;
  /** dL/dc carried from step s+1 to step s, {@code [dirs * batch * H]}. */
  private final float[] carry;
  /** Heap copies for the layout changes, grown on demand. */
  private float[] from = new float[0];
  private float[] to = new float[0];

  FloatCellSteps(LstmCells shape) {
    this.dirs = shape.dirs();
    this.batch = shape.batch();
    this.steps = shape.steps();
    this.h = shape.units();
    int block = batch * h;
    gates = new float[dirs * steps * 4 * block];
    cells = new float[dirs * (steps + 1) * block];
    cellTanh = new float[dirs * steps * block];
    dz = new float[4 * block];
    prev = new float[block];
    cell = new float[block];
    tanhC = new float[block];
    next = new float[block];
    dh = new float[block];
    carry = new float[dirs * block];
  }

  boolean fits(LstmCells shape) {
    return dirs == shape.dirs() && batch == shape.batch() && steps == shape.steps()
        && h == shape.units();
  }

  private int gateBlock(int d, int s) {
    return (d * steps + s) * batch * 4 * h;
  }

  private int stateBlock(int d, int block) {
    return (d * (steps + 1) + block) * batch * h;
  }

  private int stepBlock(int d, int s) {
    return (d * steps + s) * batch * h;
  }

  /**
   * Direction d, step s, after the recurrent GEMM has added into the native gate block: copies
   * the pre-activations to the heap and, in one pass, activates the gates (kept for backward),
   * computes c_s = f * c_{s-1} + i * g and tanh(c_s) (kept for backward) and h_s = o * tanh(c_s),
   * which goes back to the native hidden buffer (the next step's GEMM operand).
   */
  void step(FloatBuffer gateBuf, FloatBuffer hiddenBuf, int d, int s) {
    int gOff = gateBlock(d, s);
    int n = batch * h;
    gateBuf.get(gOff, gates, gOff, 4 * n);
    int prevOff = stateBlock(d, s);
    int cOff = stateBlock(d, s + 1);
    int tOff = stepBlock(d, s);
    if (s == 0) {
      Arrays.fill(cells, prevOff, prevOff + n, 0f);
    }
    // Short loops over one array each: C2's vectoriser (JDK 17) gave up on one fused loop
    // (6 ns per element against 0.5 when split; measured), and a loop over the whole block
    // vectorises better than one per row. So: one sigmoid over all four gate columns, the
    // candidate's tanh derived from its sigmoid per row (with u = 2 sigmoid(z) - 1 = tanh(z/2),
    // tanh(z) = 2u / (1 + u^2), absolute error ~1e-7), then c, tanh(c) and h a loop each.
    for (int k = gOff; k < gOff + 4 * n; k++) {
      gates[k] = FloatActivations.sigmoid(gates[k]);
    }
    for (int j = 0; j < batch; j++) {
      int a = gOff + j * 4 * h + 3 * h;
      for (int u = a; u < a + h; u++) {
        float half = 2 * gates[u] - 1;
        gates[u] = 2 * half / (1 + half * half);
      }
    }
    System.arraycopy(cells, prevOff, prev, 0, n);
    for (int j = 0; j < batch; j++) {
      int a = gOff + j * 4 * h;
      int k = j * h;
      for (int u = 0; u < h; u++) {
        cell[k + u] = gates[a + h + u] * prev[k + u] + gates[a + u] * gates[a + 3 * h + u];
      }
    }
    for (int k = 0; k < n; k++) {
      tanhC[k] = FloatActivations.tanh(cell[k]);
    }
    for (int j = 0; j < batch; j++) {
      int a = gOff + j * 4 * h + 2 * h;
      int k = j * h;
      for (int u = 0; u < h; u++) {
        next[k + u] = gates[a + u] * tanhC[k + u];
      }
    }
    System.arraycopy(cell, 0, cells, cOff, n);
    System.arraycopy(tanhC, 0, cellTanh, tOff, n);
    hiddenBuf.put(cOff, next, 0, n);
  }

  /** {@link LstmCells#gateGradients} for direction d, step s, from the last {@link #step}s. */
  void gateGradients(FloatBuffer dhBuf, FloatBuffer dzBuf, int d, int s) {
    int n = batch * h;
    int gOff = gateBlock(d, s);
    int prevOff = stateBlock(d, s);
    int tOff = stepBlock(d, s);
    dhBuf.get(tOff, dh, 0, n);
    int c0 = d * n;
    if (s == steps - 1) {
      Arrays.fill(carry, c0, c0 + n, 0f);
    }
    for (int j = 0; j < batch; j++) {
      int a = j * 4 * h;
      int ga = gOff + a;
      int k = j * h;
      for (int u = 0; u < h; u++) {
        float i = gates[ga + u];
        float f = gates[ga + h + u];
        float o = gates[ga + 2 * h + u];
        float g = gates[ga + 3 * h + u];
        float tc = cellTanh[tOff + k + u];
        float gradH = dh[k + u];
        float gradC = gradH * o * (1 - tc * tc) + carry[c0 + k + u];
        dz[a + u] = gradC * g * i * (1 - i);
        dz[a + h + u] = gradC * cells[prevOff + k + u] * f * (1 - f);
        dz[a + 2 * h + u] = gradH * tc * o * (1 - o);
        dz[a + 3 * h + u] = gradC * i * (1 - g * g);
        carry[c0 + k + u] = gradC * f;
      }
    }
    dzBuf.put(gOff, dz, 0, 4 * n);
  }

  // The layout changes of LstmCells (same index maps), on heap copies: through FloatBuffer's
  // per-element access (bounds check per element) they were up to a quarter of the epoch.

  private float[] copyIn(FloatBuffer b, int n) {
    if (from.length < n) {
      from = new float[n];
    }
    b.get(0, from, 0, n);
    return from;
  }

  private float[] target(int n) {
    if (to.length < n) {
      to = new float[n];
    }
    return to;
  }

  private int time(int d, int s) {
    return d == 0 ? s : steps - 1 - s;
  }

  // NWC ([batch, time, width]): one example's step is a contiguous row there, as it is in the
  // step buffers, so each layout change below is a row copy per (direction, step, example).

  /** {@link #inputSteps} from an NWC {@code [batch, steps, nIn]} input. */
  void inputStepsNwc(FloatBuffer nwcBuf, int nIn, FloatBuffer xBuf) {
    int n = batch * nIn * steps;
    float[] nwc = copyIn(nwcBuf, n);
    float[] x = target(dirs * n);
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        for (int j = 0; j < batch; j++) {
          System.arraycopy(nwc, (j * steps + ts) * nIn, x, ((d * steps + s) * batch + j) * nIn,
              nIn);
        }
      }
    }
    xBuf.put(0, x, 0, dirs * n);
  }

  /** {@link #hiddenToNcw} into an NWC {@code [batch, steps, dirs * H]} output. */
  void hiddenToNwc(FloatBuffer hiddenBuf, FloatBuffer outBuf) {
    int n = batch * dirs * h * steps;
    float[] hidden = copyIn(hiddenBuf, dirs * (steps + 1) * batch * h);
    float[] out = target(n);
    nwcRowCopies(hidden, (d, s) -> stateBlock(d, s + 1), out, true);
    outBuf.put(0, out, 0, n);
  }

  /** {@link #ncwToSteps} from an NWC epsilon. */
  void nwcToSteps(FloatBuffer epsBuf, FloatBuffer dhBuf) {
    int n = batch * dirs * h * steps;
    float[] eps = copyIn(epsBuf, n);
    float[] dhAll = target(n);
    nwcRowCopies(dhAll, this::stepBlock, eps, false);
    dhBuf.put(0, dhAll, 0, n);
  }

  /**
   * Copies each (direction, step, example) row of H between a step layout (direction d's step s
   * starting at {@code block(d, s)}) and NWC {@code [batch, steps, dirs * H]}, either way.
   */
  private void nwcRowCopies(float[] stepLayout, IntBinaryOperator block, float[] nwc,
      boolean intoNwc) {
    int width = dirs * h;
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        int base = block.applyAsInt(d, s);
        for (int j = 0; j < batch; j++) {
          int a = base + j * h;
          int b = (j * steps + ts) * width + d * h;
          if (intoNwc) {
            System.arraycopy(stepLayout, a, nwc, b, h);
          } else {
            System.arraycopy(nwc, b, stepLayout, a, h);
          }
        }
      }
    }
  }

  /** {@link #stepsToNcw} into an NWC epsilon: the first direction copied, the second added. */
  void stepsToNwc(FloatBuffer dxBuf, int nIn, FloatBuffer epsBuf) {
    int n = batch * nIn * steps;
    float[] dx = copyIn(dxBuf, dirs * n);
    float[] eps = target(n);
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        for (int j = 0; j < batch; j++) {
          int row = ((d * steps + s) * batch + j) * nIn;
          int col = (j * steps + ts) * nIn;
          if (d == 0) {
            System.arraycopy(dx, row, eps, col, nIn);
          } else {
            for (int i = 0; i < nIn; i++) {
              eps[col + i] += dx[row + i];
            }
          }
        }
      }
    }
    epsBuf.put(0, eps, 0, n);
  }

  /** {@link LstmCells#inputSteps}. */
  void inputSteps(FloatBuffer ncwBuf, int nIn, FloatBuffer xBuf) {
    int n = batch * nIn * steps;
    float[] ncw = copyIn(ncwBuf, n);
    float[] x = target(dirs * n);
    for (int j = 0; j < batch; j++) {
      for (int d = 0; d < dirs; d++) {
        for (int s = 0; s < steps; s++) {
          int ts = time(d, s);
          int row = ((d * steps + s) * batch + j) * nIn;
          int col = j * nIn * steps + ts;
          for (int i = 0; i < nIn; i++) {
            x[row + i] = ncw[col + i * steps];
          }
        }
      }
    }
    xBuf.put(0, x, 0, dirs * n);
  }

  /** {@link LstmCells#hiddenToNcw}. */
  void hiddenToNcw(FloatBuffer hiddenBuf, FloatBuffer outBuf) {
    int width = dirs * h;
    float[] hidden = copyIn(hiddenBuf, dirs * (steps + 1) * batch * h);
    float[] out = target(batch * width * steps);
    for (int j = 0; j < batch; j++) {
      for (int d = 0; d < dirs; d++) {
        for (int s = 0; s < steps; s++) {
          int row = stateBlock(d, s + 1) + j * h;
          int col = (j * width + d * h) * steps + time(d, s);
          for (int u = 0; u < h; u++) {
            out[col + u * steps] = hidden[row + u];
          }
        }
      }
    }
    outBuf.put(0, out, 0, batch * width * steps);
  }

  /** {@link LstmCells#ncwToSteps}. */
  void ncwToSteps(FloatBuffer epsBuf, FloatBuffer dhBuf) {
    int width = dirs * h;
    int n = batch * width * steps;
    float[] eps = copyIn(epsBuf, n);
    float[] dhAll = target(n);
    for (int j = 0; j < batch; j++) {
      for (int d = 0; d < dirs; d++) {
        for (int s = 0; s < steps; s++) {
          int row = stepBlock(d, s) + j * h;
          int col = (j * width + d * h) * steps + time(d, s);
          for (int u = 0; u < h; u++) {
            dhAll[row + u] = eps[col + u * steps];
          }
        }
      }
    }
    dhBuf.put(0, dhAll, 0, n);
  }

  /** {@link LstmCells#stepsToNcw}: the input epsilon, summed over directions. */
  void stepsToNcw(FloatBuffer dxBuf, int nIn, FloatBuffer epsBuf) {
    int n = batch * nIn * steps;
    float[] dx = copyIn(dxBuf, dirs * n);
    float[] eps = target(n);
    Arrays.fill(eps, 0, n, 0f);
    for (int j = 0; j < batch; j++) {
      for (int d = 0; d < dirs; d++) {
        for (int s = 0; s < steps; s++) {
          int row = ((d * steps + s) * batch + j) * nIn;
          int col = j * nIn * steps + time(d, s);
          for (int i = 0; i < nIn; i++) {
            eps[col + i * steps] += dx[row + i];
          }
        }
      }
    }
    epsBuf.put(0, eps, 0, n);
  }
}
