package io.tracecast.training.network.layer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-time-step adjacency of {@code graph_gru}, as SameDiff ops batched over (sample, step):
 * one home for the rule, used by {@link GraphGruLayer} in training and by
 * {@link GraphGruReadout#meanAdjacency} for the report.
 *
 * <p>For nodes i, j of one step with features x (rows of {@code [S, N, F]}, S = batch x steps):
 * <ol>
 *   <li>additive attention per head h: {@code alpha_h(i,j) = sigmoid(v_h . tanh(W1_h x_i + W2_h
 *       x_j))}, then the mean over heads (one adjacency, not one per head);
 *   <li>candidates of row i: present j != i (masked nodes neither give nor get weight);
 *   <li>top-k: row i keeps its {@code k = max(1, ceil(topK x present nodes))} candidates of largest alpha
 *       (all when fewer), a non-differentiable selection (gradient stopped; ties keep both);
 *   <li>self-loop: weight 1 on the diagonal of present nodes, so a row holds k + 1 non-zeros;
 *   <li>row normalisation: present rows sum to 1; rows and columns of masked nodes are 0.
 * </ol>
 * Cost: {@code S x N x N x heads x headDim} for the attention and {@code S x N^3} comparisons
 * for the ranks, so a 64-node graph wants a small batch.
 */
final class GraphAttention {
  private GraphAttention() {}

  /**
   * Row-normalised adjacency {@code [S, N, N]}.
   *
   * @param x node features {@code [S, N, F]}
   * @param mask 1 = present, 0 = masked {@code [S, N]}
   * @param w1 {@code [F, heads * headDim]}, applied to the row node i
   * @param w2 {@code [F, heads * headDim]}, applied to the column node j
   * @param v {@code [heads, headDim]}
   */
  static SDVariable adjacency(SameDiff sd, SDVariable x, SDVariable mask, SDVariable w1,
      SDVariable w2, SDVariable v, int nodes, int features, int heads, int headDim,
      double topK) {
    int n = nodes;
    DataType dt = x.dataType();
    SDVariable flat = x.reshape(-1, features);
    SDVariable p1 = flat.mmul(w1).reshape(-1, n, 1, heads, headDim);
    SDVariable p2 = flat.mmul(w2).reshape(-1, 1, n, heads, headDim);
    SDVariable scores = sd.math().tanh(p1.add(p2)).mul(v.reshape(1, 1, 1, heads, headDim))
        .sum(4); // [S, N, N, heads]
    SDVariable alpha = sd.nn().sigmoid(scores).mean(3); // [S, N, N]

    SDVariable rowPresent = mask.reshape(-1, n, 1);
    SDVariable colPresent = mask.reshape(-1, 1, n);
    SDVariable present = rowPresent.mul(colPresent); // [S, N, N]
    SDVariable eye = sd.constant(Nd4j.eye(n).castTo(dt));
    SDVariable candidate = present.mul(eye.rsub(1.0));

    SDVariable kept = topK(sd, alpha, candidate, mask, n, topK);
    SDVariable weights = alpha.mul(kept).add(eye.mul(present));
    // + (1 - present) on the diagonal keeps masked rows' denominators at 1 (their rows are 0)
    SDVariable denominator = weights.sum(true, 2).add(rowPresent.rsub(1.0));
    return weights.div(denominator);
  }

  /**
   * 1 where j is among row i's k candidates of largest alpha: rank(i, j) = the number of
   * candidates l with alpha(i, l) > alpha(i, j), kept when rank < k. Gradient stopped: the
   * selection is a step function.
   */
  private static SDVariable topK(SameDiff sd, SDVariable alpha, SDVariable candidate,
      SDVariable mask, int n, double topK) {
    SDVariable a = new StopGradient(sd, alpha).outputVariable();
    SDVariable c = new StopGradient(sd, candidate).outputVariable();
    // alpha is in (0, 1); non-candidates get -2 so they outrank nothing
    SDVariable s = a.mul(c).add(c.sub(1.0).mul(2.0));
    SDVariable diff = s.reshape(-1, n, 1, n).sub(s.reshape(-1, n, n, 1)); // [S, i, j, l]
    SDVariable rank = sd.math().step(diff, 0.0).mul(c.reshape(-1, n, 1, n)).sum(3);
    SDVariable presentCount = new StopGradient(sd, mask).outputVariable().sum(true, 1);
    SDVariable wanted = sd.math().ceil(presentCount.mul(topK).sub(GraphGruLayer.TOP_K_CEIL_SLACK));
    SDVariable k = sd.math().max(wanted, sd.onesLike(presentCount)).reshape(-1, 1, 1);
    // rank and k are whole numbers: rank < k <=> k - rank - 0.5 > 0
    return sd.math().step(k.sub(rank).sub(0.5), 0.0).mul(c);
  }
}
