package io.tracecast.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Panel;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.source.MachineGrouping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alibaba machines grouped into jobs (tracecast.etl.sources.alibaba.grouping) and their graphs. */
class AlibabaGroupingTest {
  @TempDir
  static Path tmp;

  private static final SparkSession SPARK = SparkTestSession.get();
  private static final String SAMPLE = SparkTestSession.repoRoot()
      .resolve("data/samples/alibaba/machine_usage.csv.gz").toString();
  private static final List<String> MACHINES = List.of("m_1932", "m_1933", "m_1934", "m_1935",
      "m_1936", "m_1937", "m_1938", "m_1939", "m_1940", "m_1941");

  private static EtlSettings grouped(String grouping, int maxNodes) {
    EtlSettings defaults = EtlSettings.builder().build();
    EtlSettings.SourceSettings a = defaults.source("alibaba");
    return defaults.toBuilder().panelMaxNodes(maxNodes).source("alibaba",
        new EtlSettings.SourceSettings(a.features(), a.targets(), a.timeOrigin(), grouping))
        .build();
  }

  private static Manifest run(String input, String output, EtlSettings settings) {
    return EtlJob.run(SPARK, new EtlRequest("alibaba", List.of(input), output, false,
        Optional.empty(), settings));
  }

  @Test
  void clusterGroupingMakesTheSampleOneJobAndOneGraphOfTenNodes() {
    String out = tmp.resolve("cluster").toString();
    Manifest m = run(SAMPLE, out, grouped(MachineGrouping.CLUSTER, 64));
    DatasetAssertions.assertConsistent(SPARK, out, m, 10, 1);
    assertEquals(List.of("cluster"), m.jobs());
    assertEquals("cluster", m.settings().get("grouping"));
    assertEquals(1, m.graphs().size());
    Manifest.Graph g = m.graphs().get(0);
    assertEquals("cluster", g.graphId());
    assertEquals(MACHINES, g.nodes());
    // a panel per 5-minute origin; the machines share most of them
    long testPanels = g.panels().get("test");
    assertTrue(testPanels > 0 && testPanels < m.counts().windows().get("test"), g.toString());
    List<Panel> panels = DatasetReader.open(SPARK, out)
        .encodedPanels(SPARK, Split.TEST, List.of("cluster")).collectAsList().stream()
        .map(Panel::from).toList();
    assertEquals(testPanels, panels.size());
    assertEquals((long) m.counts().windows().get("test"),
        panels.stream().mapToLong(Panel::presentNodes).sum(), "every test window in a panel");
    assertTrue(panels.stream().allMatch(p -> p.nodes() == 10));
  }

  @Test
  void aBoundOfFourSplitsTheClusterIntoSubGraphsThatHoldEveryMachineOnce() {
    String out = tmp.resolve("cluster-4").toString();
    Manifest m = run(SAMPLE, out, grouped(MachineGrouping.CLUSTER, 4));
    // every node in exactly one graph, none above 4, panel counts: checked there
    DatasetAssertions.assertConsistent(SPARK, out, m, 10, 1);
    assertTrue(m.graphs().size() >= 3, m.graphs().toString());
    List<String> nodes = new ArrayList<>();
    for (int k = 0; k < m.graphs().size(); k++) {
      Manifest.Graph g = m.graphs().get(k);
      assertEquals("cluster#" + k, g.graphId());
      assertTrue(g.nodeCount() <= 4, g.toString());
      nodes.addAll(g.nodes());
    }
    assertEquals(10, nodes.size());
    assertEquals(new HashSet<>(MACHINES), new HashSet<>(nodes));
  }

  @Test
  void machineGroupingIsOneJobAndOneGraphPerMachine() {
    String out = tmp.resolve("machine").toString();
    Manifest m = run(SAMPLE, out, grouped(MachineGrouping.MACHINE, 64));
    DatasetAssertions.assertConsistent(SPARK, out, m, 10, 10);
    assertEquals(MACHINES, m.jobs());
    for (Manifest.Graph g : m.graphs()) {
      assertEquals(g.jobId(), g.graphId());
      assertEquals(List.of(g.jobId()), g.nodes());
    }
  }

  @Test
  void aMappingFileGroupsListedMachinesAndCountsTheRowsOfOthers() throws IOException {
    Path map = tmp.resolve("groups.csv");
    StringBuilder csv = new StringBuilder("machine_id,group\n");
    for (int i = 1; i < MACHINES.size(); i++) {
      csv.append(MACHINES.get(i)).append(i % 2 == 0 ? ",even\n" : ",odd\n");
    }
    Files.writeString(map, csv);
    String out = tmp.resolve("mapped").toString();
    Manifest m = run(SAMPLE, out, grouped(map.toString(), 64));
    DatasetAssertions.assertConsistent(SPARK, out, m, 10, 3);
    assertEquals(List.of("even", "m_1932", "odd"), m.jobs());
    assertEquals(rowsOf("m_1932"),
        m.counts().notes().get(MachineGrouping.MISSING_NOTE), "rows of the unlisted machine");
    assertEquals(List.of("m_1934", "m_1936", "m_1938", "m_1940"), m.graphsOf("even").get(0).nodes());
    assertEquals(map.toString(), m.settings().get("grouping"));
  }

  /**
   * Six hand-written machines: m_1, m_3, m_5 follow one daily shape, m_2, m_4, m_6 another
   * (uncorrelated); with at most 3 nodes a graph, each shape is one sub-graph.
   */
  @Test
  void subGraphsGatherTheMachinesThatMoveTogether() throws IOException {
    StringBuilder csv = new StringBuilder();
    java.util.Random r = new java.util.Random(3);
    double walk = 50;
    double[] b = new double[600];
    for (int k = 0; k < b.length; k++) {
      walk = Math.max(5, Math.min(95, walk + 3 * r.nextGaussian()));
      b[k] = walk;
    }
    for (int i = 1; i <= 6; i++) {
      for (int k = 0; k < b.length; k++) {
        double level = i % 2 == 1 ? 50 + 30 * Math.sin(2 * Math.PI * k / 288) : b[k];
        double cpu = Math.max(0, Math.min(100, 0.8 * level + i + r.nextGaussian()));
        csv.append(String.format(Locale.ROOT, "m_%d,%d,%.2f,50,,,10,10,5%n", i,
            300L * (1000 + k), cpu));
      }
    }
    Path in = tmp.resolve("two-shapes.csv");
    Files.writeString(in, csv);
    String out = tmp.resolve("two-shapes").toString();
    Manifest m = run(in.toString(), out, grouped(MachineGrouping.CLUSTER, 3));
    DatasetAssertions.assertConsistent(SPARK, out, m, 6, 1);
    assertEquals(List.of(
            new Manifest.Graph("cluster", "cluster#0", List.of("m_1", "m_3", "m_5"),
                m.graphs().get(0).panels(), 0),
            new Manifest.Graph("cluster", "cluster#1", List.of("m_2", "m_4", "m_6"),
                m.graphs().get(1).panels(), 0)),
        m.graphs());
    assertTrue(m.graphs().get(0).panels().get("train") > 0);
  }

  private static long rowsOf(String machine) throws IOException {
    long n = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(Path.of(SAMPLE))), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        n += line.startsWith(machine + ",") ? 1 : 0;
      }
    }
    return n;
  }

}
