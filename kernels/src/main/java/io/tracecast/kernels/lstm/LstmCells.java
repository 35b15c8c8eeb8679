package io.tracecast.kernels.lstm;

/**
 * The element-wise LSTM maths of one step, all directions at once, as plain loops over the
 * {@link StepBuffer} layouts: gates {@code [dirs, steps * batch, 4H]} (columns input, forget,
 * output, candidate; already activated), cell and hidden states {@code [dirs, (steps+1) * batch,
 * H]} (block 0 the zero initial state, step s at block s+1), tanh of the cell
 * {@code [dirs, steps * batch, H]}. Here the transcendental functions stay in ND4J's native ops;
 * everything here is products and sums. Float networks (all the builder makes) run the same maths,
 * activations included, on the heap in {@link FloatCellSteps}; this per-element path serves double
 * precision (the gradient checks) and is the reference the float path is tested against.
 */
final class LstmCells {
  private final int dirs;
  private final int batch;
  private final int steps;
  private final int h;

  LstmCells(int dirs, int batch, int steps, int units) {
    this.dirs = dirs;
    this.batch = batch;
    this.steps = steps;
    this.h = units;
  }

  int dirs() {
    return dirs;
  }

  int batch() {
    return batch;
  }

  int steps() {
    return steps;
  }

  int units() {
    return h;
  }

  private int gateRow(int d, int s, int j) {
    return ((d * steps + s) * batch + j) * 4 * h;
  }

  private int stateRow(int d, int block, int j) {
    return ((d * (steps + 1) + block) * batch + j) * h;
  }

  private int stepRow(int d, int s, int j) {
    return ((d * steps + s) * batch + j) * h;
  }

  /** c_s = f * c_{s-1} + i * g. */
  void cellState(Buf gates, Buf cell, int s) {
    for (int d = 0; d < dirs; d++) {
      for (int j = 0; j < batch; j++) {
        int a = gateRow(d, s, j);
        int c = stateRow(d, s + 1, j);
        int p = stateRow(d, s, j);
        for (int u = 0; u < h; u++) {
          cell.set(c + u, gates.get(a + h + u) * cell.get(p + u)
              + gates.get(a + u) * gates.get(a + 3 * h + u));
        }
      }
    }
  }

  /** h_s = o * tanh(c_s). */
  void hiddenState(Buf gates, Buf cellTanh, Buf hidden, int s) {
    for (int d = 0; d < dirs; d++) {
      for (int j = 0; j < batch; j++) {
        int a = gateRow(d, s, j) + 2 * h;
        int t = stepRow(d, s, j);
        int o = stateRow(d, s + 1, j);
        for (int u = 0; u < h; u++) {
          hidden.set(o + u, gates.get(a + u) * cellTanh.get(t + u));
        }
      }
    }
  }

  /**
   * Gate pre-activation gradients of step s from dL/dh_s ({@code dh}, the epsilon plus the
   * recurrent part) and the cell gradient carried from step s+1 ({@code carry},
   * {@code [dirs * batch * H]}, read unless s is the last step, written for step s-1).
   */
  void gateGradients(Buf gates, Buf cell, Buf cellTanh, Buf dh, Buf dz, double[] carry,
      int s) {
    boolean last = s == steps - 1;
    for (int d = 0; d < dirs; d++) {
      for (int j = 0; j < batch; j++) {
        int a = gateRow(d, s, j);
        int t = stepRow(d, s, j);
        int p = stateRow(d, s, j);
        int k = (d * batch + j) * h;
        for (int u = 0; u < h; u++) {
          double i = gates.get(a + u);
          double f = gates.get(a + h + u);
          double o = gates.get(a + 2 * h + u);
          double g = gates.get(a + 3 * h + u);
          double tc = cellTanh.get(t + u);
          double gradH = dh.get(t + u);
          double gradC = gradH * o * (1 - tc * tc) + (last ? 0 : carry[k + u]);
          dz.set(a + u, gradC * g * i * (1 - i));
          dz.set(a + h + u, gradC * cell.get(p + u) * f * (1 - f));
          dz.set(a + 2 * h + u, gradH * tc * o * (1 - o));
          dz.set(a + 3 * h + u, gradC * i * (1 - g * g));
          carry[k + u] = gradC * f;
        }
      }
    }
  }

  /** The time step that direction d processes at step s (the backward direction runs reversed). */
  private int time(int d, int s) {
    return d == 0 ? s : steps - 1 - s;
  }

  /** x[d, s*batch + j, i] = input[j, i, time(d, s)], from an NCW {@code [batch, nIn, steps]}. */
  void inputSteps(Buf ncw, int nIn, Buf x) {
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        for (int j = 0; j < batch; j++) {
          int row = ((d * steps + s) * batch + j) * nIn;
          for (int i = 0; i < nIn; i++) {
            x.set(row + i, ncw.get((j * nIn + i) * steps + ts));
          }
        }
      }
    }
  }

  /** out[j, d*H + u, time(d, s)] = h_s of direction d: the NCW {@code [batch, dirs*H, steps]}. */
  void hiddenToNcw(Buf hidden, Buf out) {
    int width = dirs * h;
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        for (int j = 0; j < batch; j++) {
          int row = stateRow(d, s + 1, j);
          for (int u = 0; u < h; u++) {
            out.set((j * width + d * h + u) * steps + ts, hidden.get(row + u));
          }
        }
      }
    }
  }

  /** The inverse mapping of {@link #hiddenToNcw} for the epsilon, into {@code [dirs, steps*batch, H]}. */
  void ncwToSteps(Buf eps, Buf dh) {
    int width = dirs * h;
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        for (int j = 0; j < batch; j++) {
          int row = stepRow(d, s, j);
          for (int u = 0; u < h; u++) {
            dh.set(row + u, eps.get((j * width + d * h + u) * steps + ts));
          }
        }
      }
    }
  }

  /** epsOut[j, i, t] = sum over directions of dx[d, s*batch + j, i] at time(d, s) = t. */
  void stepsToNcw(Buf dx, int nIn, Buf epsOut) {
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < steps; s++) {
        int ts = time(d, s);
        for (int j = 0; j < batch; j++) {
          int row = ((d * steps + s) * batch + j) * nIn;
          for (int i = 0; i < nIn; i++) {
            int o = (j * nIn + i) * steps + ts;
            epsOut.set(o, (d == 0 ? 0 : epsOut.get(o)) + dx.get(row + i));
          }
        }
      }
    }
  }
}
