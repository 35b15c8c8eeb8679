package io.tracecast.etl.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Manifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphPlannerTest {
  private static final long STEP_MICROS = 300_000_000L;

  /**
   * Series s0..s{n-1}: even ones follow driver A (a daily sine), odd ones driver B (a random
   * walk), each with its own level, gain and noise, so sorted id order interleaves the groups.
   */
  private static List<GraphPlanner.TrainProfile> twoDrivers(int n, int steps, long seed) {
    Random r = new Random(seed);
    double[] a = new double[steps];
    double[] b = new double[steps];
    double walk = 0;
    for (int t = 0; t < steps; t++) {
      a[t] = Math.sin(2 * Math.PI * t / 288);
      walk += r.nextGaussian();
      b[t] = walk;
    }
    List<GraphPlanner.TrainProfile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // some series start later: the correlation uses the steps both have
      int from = i % 3 == 2 ? steps / 4 : 0;
      long[] ts = new long[steps - from];
      double[] v = new double[steps - from];
      for (int t = from; t < steps; t++) {
        ts[t - from] = (1_000 + t) * STEP_MICROS;
        double driver = i % 2 == 0 ? a[t] : b[t];
        v[t - from] = 10 * i + (1 + i % 4) * driver + 0.2 * r.nextGaussian();
      }
      out.add(new GraphPlanner.TrainProfile("job", "s" + i, ts, v));
    }
    return out;
  }

  private static Map<String, List<String>> seriesOf(List<GraphPlanner.TrainProfile> profiles) {
    return Map.of("job", profiles.stream().map(GraphPlanner.TrainProfile::seriesId).toList());
  }

  @Test
  void putsSeriesDrivenByTheSameSignalInOneSubGraph() {
    List<GraphPlanner.TrainProfile> profiles = twoDrivers(8, 600, 1);
    List<Manifest.Graph> graphs = new GraphPlanner(4).plan(seriesOf(profiles), profiles);
    // ids sort as s0, s1, ..., s7: the graph holding s0 comes first
    assertEquals(List.of("job#0", "job#1"), graphs.stream().map(Manifest.Graph::graphId).toList());
    assertEquals(List.of("s0", "s2", "s4", "s6"), graphs.get(0).nodes());
    assertEquals(List.of("s1", "s3", "s5", "s7"), graphs.get(1).nodes());
  }

  @Test
  void boundsEverySubGraphAndUsesEverySeriesOnce() {
    List<GraphPlanner.TrainProfile> profiles = twoDrivers(10, 400, 2);
    List<Manifest.Graph> graphs = new GraphPlanner(4).plan(seriesOf(profiles), profiles);
    List<String> nodes = new ArrayList<>();
    for (Manifest.Graph g : graphs) {
      assertTrue(g.nodeCount() <= 4, g.toString());
      assertEquals("job", g.jobId());
      nodes.addAll(g.nodes());
    }
    assertEquals(10, nodes.size(), "no series in two graphs");
    assertEquals(Set.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"),
        new HashSet<>(nodes));
    assertTrue(graphs.size() >= 3, "10 series in graphs of at most 4: " + graphs);
    // the same input gives the same graphs
    assertEquals(graphs, new GraphPlanner(4).plan(seriesOf(profiles), profiles));
  }

  @Test
  void keepsAJobWithinTheBoundAsOneGraphWithoutProfiles() {
    Map<String, List<String>> jobs = Map.of("b", List.of("z", "x", "y"), "a", List.of("only"));
    GraphPlanner planner = new GraphPlanner(3);
    assertEquals(List.of(), planner.jobsToSplit(jobs));
    assertEquals(List.of(new Manifest.Graph("a", "a", List.of("only"), Map.of(), 0),
            new Manifest.Graph("b", "b", List.of("x", "y", "z"), Map.of(), 0)),
        planner.plan(jobs, List.of()));
    assertEquals(List.of("b"), new GraphPlanner(2).jobsToSplit(jobs));
    assertThrows(IllegalStateException.class, () -> new GraphPlanner(2).plan(jobs, List.of()));
  }

  @Test
  void correlationIsPearsonOverSharedStepsAndZeroWhereUndefined() {
    double nan = Double.NaN;
    assertEquals(1, CorrelationClustering.correlation(new double[] {1, 2, 3, nan},
        new double[] {2, 4, 6, 100}), 1e-12);
    assertEquals(-1, CorrelationClustering.correlation(new double[] {1, 2, 3, 4},
        new double[] {8, 6, nan, 2}), 1e-12);
    // x = 1, 2, 3, 4 against y = 1, 3, 2, 4: r = 0.8 (means 2.5; sxy 4, sxx = syy 5)
    assertEquals(0.8, CorrelationClustering.correlation(new double[] {1, 2, 3, 4},
        new double[] {1, 3, 2, 4}), 1e-12);
    assertEquals(0, CorrelationClustering.correlation(new double[] {1, 1, 1},
        new double[] {1, 2, 3}), "constant");
    assertEquals(0, CorrelationClustering.correlation(new double[] {1, 2, nan, nan},
        new double[] {nan, 2, 3, 4}), "one shared step");
  }

  @Test
  void clusteringWithABoundOfOneKeepsEverySeriesAlone() {
    List<List<Integer>> c = CorrelationClustering.cluster(
        new double[][] {{1, 2, 3}, {1, 2, 3}, {3, 2, 1}}, 1);
    assertEquals(List.of(List.of(0), List.of(1), List.of(2)), c);
    assertEquals(List.of(List.of(0, 1, 2)), CorrelationClustering.cluster(
        new double[][] {{1, 2, 3}, {1, 2, 3}, {3, 2, 1}}, 3));
  }
}
