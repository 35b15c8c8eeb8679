package io.tracecast.training.network.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.SyntheticPanels;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.network.GraphGru;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The adjacency graph_gru computes per (panel, step), read from a built network: row sums,
 * exactly k kept neighbours, masked nodes out. Inputs are distinct random values, so attention
 * scores do not tie.
 */
class GraphAttentionTest {
  private static final int NODES = 7;
  private static final NetworkShape SHAPE = new NetworkShape(5, 2, 1, 1, List.of(0));

  @Test
  void keepsTopKNeighboursPlusSelfLoopRowNormalisedAndIgnoresMaskedNodes() {
    for (double topK : new double[] {0.5, 0.3, 1.0}) {
      ModelSpec spec = ModelKinds.GRAPH_GRU.defaults()
          .withParams(new GraphGru.Graph(3, 2, topK));
      ComputationGraph net = ModelKinds.GRAPH_GRU.build(spec, SHAPE, NODES);
      List<Panel> panels = randomPanels(new Random(7), 6);
      INDArray a = GraphGruReadout.adjacency(net, PanelTensors.features(panels, SHAPE, NODES));
      assertEquals(panels.size() * SHAPE.lookback(), a.size(0));
      for (int s = 0; s < a.size(0); s++) {
        Panel p = panels.get(s / SHAPE.lookback());
        int present = p.presentNodes();
        for (int i = 0; i < NODES; i++) {
          double sum = 0;
          int nonZero = 0;
          for (int j = 0; j < NODES; j++) {
            double w = a.getDouble(s, i, j);
            sum += w;
            nonZero += w > 0 ? 1 : 0;
            if (!p.mask()[i] || !p.mask()[j]) {
              assertEquals(0, w, 0, "masked node " + (p.mask()[i] ? j : i) + " has weight");
            }
          }
          if (p.mask()[i]) {
            assertEquals(1, sum, 1e-5, "row " + i);
            assertEquals(spec.params(GraphGru.Graph.class).neighboursKept(present) + 1, nonZero,
                "top-k " + topK + ", " + present + " present, row " + i);
            double self = a.getDouble(s, i, i);
            for (int j = 0; j < NODES; j++) {
              // the self-loop weighs 1 before normalisation, a neighbour sigmoid(.) < 1
              assertTrue(j == i || a.getDouble(s, i, j) < self, "self-loop is largest");
            }
          }
        }
      }
    }
  }

  @Test
  void countsKeptNeighboursFromThePresentNodes() {
    GraphGru.Graph half = new GraphGru.Graph(4, 4, 0.5);
    assertEquals(0, half.neighboursKept(1)); // alone: self-loop only
    assertEquals(1, half.neighboursKept(2));
    assertEquals(2, half.neighboursKept(3)); // ceil(1.5)
    assertEquals(2, half.neighboursKept(4));
    assertEquals(3, new GraphGru.Graph(1, 1, 0.3).neighboursKept(10)); // not 4 from 3.0000001
    assertEquals(9, new GraphGru.Graph(1, 1, 1.0).neighboursKept(10));
  }

  /** Random panels; panel b masks nodes b % NODES and (b + 2) % NODES when b is odd. */
  static List<Panel> randomPanels(Random r, int count) {
    List<Panel> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      double[][] v = new double[NODES][SHAPE.lookback() * 2 + 1];
      for (double[] row : v) {
        for (int t = 0; t < row.length; t++) {
          row[t] = r.nextGaussian();
        }
      }
      Panel p = twoFeatures(v);
      if (b % 2 == 1) {
        p = SyntheticPanels.masking(p, b % NODES, 0);
        p = SyntheticPanels.masking(p, (b + 2) % NODES, 0);
      }
      out.add(p);
    }
    return out;
  }

  /** One panel with 2 features per step: v[n][2t], v[n][2t + 1]; target v[n][last]. */
  private static Panel twoFeatures(double[][] v) {
    int per = SHAPE.inputLength();
    float[] in = new float[NODES * per];
    float[] y = new float[NODES];
    for (int n = 0; n < NODES; n++) {
      for (int i = 0; i < per; i++) {
        in[n * per + i] = (float) v[n][i];
      }
      y[n] = (float) v[n][per];
    }
    boolean[] mask = new boolean[NODES];
    java.util.Arrays.fill(mask, true);
    float[] scale = new float[NODES];
    java.util.Arrays.fill(scale, 1);
    return new Panel("job", "job", 0, NODES, in, y, new float[NODES], scale, mask);
  }
}
