package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.network.NetworkShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * graph_gru's training speed on one thread for the reference panel: 10 nodes, lookback
 * 12, 8 features, default spec (32 units, 4 heads, 4 GCN layers, batch 32). Prints the figure
 * training/README.md quotes; asserts only that a timed epoch ran and finished in reason.
 */
class GraphThroughputTest {
  @Test
  void measuresPanelsPerSecondOnOneThread() {
    NetworkShape shape = new NetworkShape(12, 8, 1, 1, List.of(0));
    Random r = new Random(3);
    List<Panel> panels = new ArrayList<>();
    for (int p = 0; p < 128; p++) {
      float[] in = new float[10 * 12 * 8];
      float[] y = new float[10];
      for (int i = 0; i < in.length; i++) {
        in[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) r.nextGaussian();
      }
      boolean[] mask = new boolean[10];
      java.util.Arrays.fill(mask, true);
      float[] scale = new float[10];
      java.util.Arrays.fill(scale, 1);
      panels.add(new Panel("job", "job", p, 10, in, y, new float[10], scale, mask));
    }
    int threads = Nd4j.getEnvironment().maxThreads();
    int master = Nd4j.getEnvironment().maxMasterThreads();
    Nd4j.getEnvironment().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    try {
      double rate = TrainingThroughput.graphPanelsPerSecond(
          ModelKinds.GRAPH_GRU.defaults(), shape, panels, 2);
      System.out.printf("graph_gru, 10 nodes x lookback 12 x 8 features, 1 thread: "
          + "%.1f panels/s, %.0f node-windows/s%n", rate, rate * 10);
      assertTrue(rate > 1 && Double.isFinite(rate), "rate " + rate);
    } finally {
      Nd4j.getEnvironment().setMaxThreads(threads);
      Nd4j.getEnvironment().setMaxMasterThreads(master);
    }
  }
}
