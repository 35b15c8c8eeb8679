package io.tracecast.training.network.layer;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A GRU over time from basic SameDiff ops, the one used by every GRU here ({@code gru},
 * {@code graph_gru}): gates in the columns of W, U and b ordered reset, update, candidate (the
 * order of libnd4j's fused {@code gru} op, so versions trained with it load unchanged):
 * {@code r = sig(x Wr + h Ur + br)}, {@code u = sig(x Wu + h Uu + bu)},
 * {@code c = tanh(x Wc + r * (h Uc) + bc)}, {@code h' = u * h + (1 - u) * c}, h0 = 0 (the
 * reset gate applied after the recurrent product, as the fused op does: GruLayerTest).
 *
 * <p>Why not the fused op: in ND4J 1.0.0-M2.1 {@code gru_bp}'s weight gradients do not match
 * finite differences (signs flip, relative errors up to 1; training/README.md), while these ops'
 * gradients do. Steps are unrolled with interval slices (point slices are what fail in DL4J's
 * SameDiffLayer backprop); the input projection is one matmul over all steps.
 */
final class GruSteps {
  private GruSteps() {}

  /**
   * The last hidden state {@code [S, units]} of a GRU over {@code sequences} {@code [T, S, nIn]}
   * (time-major), W {@code [nIn, 3 units]}, U {@code [units, 3 units]}, b {@code [1, 3 units]}.
   */
  static SDVariable lastState(SameDiff sd, SDVariable sequences, int steps, long nIn,
      long units, SDVariable w, SDVariable u, SDVariable b) {
    long g = units;
    SDVariable projected = sequences.reshape(-1, nIn).mmul(w).add(b.reshape(3 * g))
        .reshape(steps, -1, 3 * g);
    SDVariable uGates = u.get(SDIndex.all(), SDIndex.interval(0L, 2 * g));
    SDVariable uCandidate = u.get(SDIndex.all(), SDIndex.interval(2 * g, 3 * g));
    SDVariable h = null;
    for (int step = 0; step < steps; step++) {
      SDVariable x = projected.get(SDIndex.interval(step, step + 1)).reshape(-1, 3 * g);
      SDVariable gates = x.get(SDIndex.all(), SDIndex.interval(0L, 2 * g));
      SDVariable xc = x.get(SDIndex.all(), SDIndex.interval(2 * g, 3 * g));
      if (h == null) { // h0 = 0: the recurrent terms vanish
        SDVariable update = sd.nn().sigmoid(
            gates.get(SDIndex.all(), SDIndex.interval(g, 2 * g)));
        h = update.rsub(1.0).mul(sd.math().tanh(xc));
        continue;
      }
      SDVariable rz = sd.nn().sigmoid(gates.add(h.mmul(uGates)));
      SDVariable reset = rz.get(SDIndex.all(), SDIndex.interval(0L, g));
      SDVariable update = rz.get(SDIndex.all(), SDIndex.interval(g, 2 * g));
      SDVariable candidate = sd.math().tanh(xc.add(reset.mul(h.mmul(uCandidate))));
      h = update.mul(h).add(update.rsub(1.0).mul(candidate));
    }
    return h;
  }
}
