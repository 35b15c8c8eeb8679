package io.tracecast.training;

import io.tracecast.etl.dataset.Panel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Hand-made job panels with one feature that is also the one target (horizon 1). */
public final class SyntheticPanels {
  private SyntheticPanels() {}

  /**
   * Panels over series {@code values[node][time]}: for each origin t (lookback - 1 .. end - 2),
   * inputs are steps t - lookback + 1 .. t, the target is step t + 1.
   */
  public static List<Panel> of(double[][] values, int lookback) {
    int nodes = values.length;
    int length = values[0].length;
    List<Panel> out = new ArrayList<>();
    for (int t = lookback - 1; t + 1 < length; t++) {
      float[] in = new float[nodes * lookback];
      float[] target = new float[nodes];
      for (int n = 0; n < nodes; n++) {
        for (int s = 0; s < lookback; s++) {
          in[n * lookback + s] = (float) values[n][t - lookback + 1 + s];
        }
        target[n] = (float) values[n][t + 1];
      }
      boolean[] mask = new boolean[nodes];
      java.util.Arrays.fill(mask, true);
      float[] scale = new float[nodes];
      java.util.Arrays.fill(scale, 1);
      out.add(new Panel("job", "job", t * 300_000L, nodes, in, target, new float[nodes], scale,
          mask));
    }
    return out;
  }

  /**
   * A lead-lag job: node 0 (A) an AR(1) series (phi 0.9, unit innovations); node 1 (B) repeats
   * A two steps later plus N(0, noise^2); further nodes independent AR(1) series like A.
   */
  public static double[][] leadLag(int nodes, int length, double noise, long seed) {
    Random r = new Random(seed);
    double[][] v = new double[nodes][length];
    for (int n = 0; n < nodes; n++) {
      if (n == 1) {
        continue;
      }
      for (int t = 1; t < length; t++) {
        v[n][t] = 0.9 * v[n][t - 1] + r.nextGaussian();
      }
    }
    for (int t = 0; t < length; t++) {
      v[1][t] = (t >= 2 ? v[0][t - 2] : 0) + noise * r.nextGaussian();
    }
    return v;
  }

  /** {@code p} with node {@code node} masked: zeros everywhere, anchor 0, scale 1. */
  public static Panel masking(Panel p, int node, float targetValue) {
    boolean[] mask = p.mask().clone();
    mask[node] = false;
    float[] in = p.inputs().clone();
    java.util.Arrays.fill(in, node * p.inputsPerNode(), (node + 1) * p.inputsPerNode(), 0f);
    float[] y = p.targets().clone();
    java.util.Arrays.fill(y, node * p.targetsPerNode(), (node + 1) * p.targetsPerNode(),
        targetValue);
    return new Panel(p.jobId(), p.graphId(), p.endMillis(), p.nodes(), in, y, p.anchor(),
        p.scale(), mask);
  }

  /** {@code p} with its nodes reordered: node i of the result is node {@code order[i]} of p. */
  public static Panel permuted(Panel p, int[] order) {
    int pi = p.inputsPerNode();
    int pt = p.targetsPerNode();
    int pa = p.anchor().length / p.nodes();
    float[] in = new float[p.inputs().length];
    float[] y = new float[p.targets().length];
    float[] a = new float[p.anchor().length];
    float[] s = new float[p.scale().length];
    boolean[] m = new boolean[p.nodes()];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(p.inputs(), order[i] * pi, in, i * pi, pi);
      System.arraycopy(p.targets(), order[i] * pt, y, i * pt, pt);
      System.arraycopy(p.anchor(), order[i] * pa, a, i * pa, pa);
      System.arraycopy(p.scale(), order[i] * pa, s, i * pa, pa);
      m[i] = p.mask()[order[i]];
    }
    return new Panel(p.jobId(), p.graphId(), p.endMillis(), p.nodes(), in, y, a, s, m);
  }
}
