package io.tracecast.kernels.gru;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise GRU maths of {@link FusedGruLayer} on heap arrays, and the layout changes
 * between the network's NCW tensors and the time-major step buffers the products run on. One
 * implementation per precision: {@link FloatGruCells} (float networks, every network tracecast
 * builds: rational activations that C2 vectorises) and {@link DoubleGruCells} (double
 * precision, exact {@code Math.tanh} and {@code Math.exp}: the gradient-checked path the float
 * one is tested against). Each keeps what backward needs from the last forward pass.
 *
 * <p>Native buffers the methods read or write (c order, owning their whole buffer, the
 * network's data type): step buffers {@code [steps * batch, width]}, step s in rows
 * {@code s*batch .. (s+1)*batch}; the hidden states {@code [(steps + 1) * batch, units]}, block 0
 * the zero initial state, step s's state in block s+1 (so the rows of blocks 0..steps-1 are the
 * previous states of steps 0..steps-1, one GEMM operand for the recurrent weight gradient).
 * Gate columns: reset, update, candidate.
 */
abstract sealed class GruCells permits FloatGruCells, DoubleGruCells {
  final int batch;
  final int steps;
  final int nIn;
  final int units;

  GruCells(int batch, int steps, int nIn, int units) {
    this.batch = batch;
    this.steps = steps;
    this.nIn = nIn;
    this.units = units;
  }

  static GruCells of(DataType type, int batch, int steps, int nIn, int units) {
    return switch (type) {
      case FLOAT -> new FloatGruCells(batch, steps, nIn, units);
      case DOUBLE -> new DoubleGruCells(batch, steps, nIn, units);
      default -> throw new IllegalArgumentException("FusedGru supports float and double, got "
          + type);
    };
  }

  abstract DataType dataType();

  boolean fits(DataType type, int batch, int steps, int nIn, int units) {
    return dataType() == type && this.batch == batch && this.steps == steps && this.nIn == nIn
        && this.units == units;
  }

  /** x[s*batch + j, i] = input[j, i, s]: the NCW {@code [batch, nIn, steps]} input, time-major. */
  abstract void inputSteps(INDArray ncw, INDArray x);

  /** Keeps the input projections plus bias, {@code x W + b} ({@code [steps * batch, 3u]}). */
  abstract void project(INDArray xw);

  /**
   * Step s: gates, candidate and hidden state from the projection and {@code rec = h_(s-1) U}
   * ({@code [batch, 3 units]}; null for s = 0, where h_(-1) = 0), all kept for backward; writes
   * h_s into block s+1 of {@code hidden}.
   */
  abstract void step(int s, INDArray rec, INDArray hidden);

  /** The last hidden state into {@code out [batch, units]}. */
  abstract void lastHidden(INDArray out);

  /** Starts backward: dL/dh of the last step is the epsilon {@code [batch, units]}. */
  abstract void lastHiddenEpsilon(INDArray epsilon);

  /**
   * Step s of backward, from dL/dh_s: the gradients of the input projection's pre-activations
   * (kept until {@link #projectionGradients}) and of the recurrent product's ({@code h_(s-1) U},
   * written into {@code drec}'s block s, the next GEMM's operand), and the part of dL/dh_(s-1)
   * that does not pass through U ({@code dL/dh_s * u}).
   */
  abstract void gateGradients(int s, INDArray drec);

  /**
   * dL/dh_(s-1) for s > 0: what step s passed back directly plus {@code dhU}
   * ({@code [batch, units]}), the part through U ({@code drec_s U^T}).
   */
  abstract void previousEpsilon(int s, INDArray dhU);

  /** The gradients of the input projection's pre-activations into {@code dxw [steps*batch, 3u]}. */
  abstract void projectionGradients(INDArray dxw);

  /** The inverse of {@link #inputSteps} for the input epsilon: {@code dx} into NCW {@code eps}. */
  abstract void stepsToNcw(INDArray dx, INDArray eps);
}
