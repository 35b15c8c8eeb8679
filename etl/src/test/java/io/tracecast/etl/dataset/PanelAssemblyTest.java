package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.source.MachineGrouping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Panels hold exactly the per-series windows, node by node: checked against the windows table
 * read on its own, on a hand-written Alibaba job of three machines grouped as one cluster, one
 * of them with a long gap (two segments) and one starting later.
 */
class PanelAssemblyTest {
  @TempDir
  static Path tmp;

  private static final SparkSession SPARK = SparkTestSession.get();
  /** Steps of m_a; m_b misses steps 30-39 (a long gap: max-gap-steps is 3); m_c starts at 25. */
  private static final int STEPS = 80;
  private static final List<String> MACHINES = List.of("m_a", "m_b", "m_c");

  /** machine_usage rows on 5-minute steps: machine_id,time_stamp,cpu,mem,,,net_in,net_out,disk. */
  static Path writeTrace(Path dir) throws IOException {
    StringBuilder csv = new StringBuilder();
    for (int m = 0; m < MACHINES.size(); m++) {
      for (int k = 0; k < STEPS; k++) {
        if ((m == 1 && k >= 30 && k < 40) || (m == 2 && k < 25)) {
          continue;
        }
        double cpu = 30 + 20 * Math.sin(2 * Math.PI * k / 24 + m) + (k * 7 % 5);
        double mem = 50 + 5 * Math.cos(2 * Math.PI * k / 36 + m);
        csv.append(String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,,,%.2f,%.2f,5%n", MACHINES.get(m),
            300L * (1000 + k), cpu, mem, 10.0 + m + k % 3, 20.0 - m + k % 4));
      }
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("machine_usage.csv");
    Files.writeString(file, csv);
    return file;
  }

  @ParameterizedTest
  @EnumSource(Normalisation.class)
  void panelWindowsEqualThePerSeriesWindowsNodeByNode(Normalisation mode) throws IOException {
    Path trace = writeTrace(tmp.resolve("in-" + mode.label()));
    String out = tmp.resolve("out-" + mode.label()).toString();
    EtlSettings defaults = EtlSettings.builder().build();
    EtlSettings.SourceSettings alibaba = defaults.source("alibaba");
    EtlSettings settings = defaults.toBuilder().normalisation(mode)
        .source("alibaba", new EtlSettings.SourceSettings(alibaba.features(), alibaba.targets(),
            alibaba.timeOrigin(), MachineGrouping.CLUSTER)).build();
    Manifest m = EtlJob.run(SPARK, new EtlRequest("alibaba", List.of(trace.toString()), out,
        false, Optional.empty(), settings));
    assertEquals(List.of(new Manifest.Graph("cluster", "cluster", MACHINES,
        m.graphs().get(0).panels(), 0)), m.graphs());
    DatasetReader reader = DatasetReader.open(SPARK, out);
    assertEquals(m.graphs(), reader.manifest().graphs(), "manifest.json holds the graphs");

    int inPerNode = m.lookback() * m.features().size();
    int targetsPerNode = m.horizon() * m.targets().size();
    int targets = m.targets().size();
    boolean gapSeen = false;
    boolean lateStartSeen = false;
    for (Split split : Split.values()) {
      // expected: each (series, end time) looked up in the windows table directly
      Map<String, Row> windows = new HashMap<>();
      Set<Long> ends = new HashSet<>();
      for (Row w : reader.encodedWindows(SPARK, split).collectAsList()) {
        long end = w.getTimestamp(w.fieldIndex("end_time")).getTime();
        assertEquals(null, windows.put(w.getString(w.fieldIndex("series_id")) + "@" + end, w));
        ends.add(end);
      }
      List<Panel> panels = reader.encodedPanels(SPARK, split, List.of("cluster")).collectAsList()
          .stream().map(Panel::from).toList();
      assertEquals(ends.size(), panels.size(), split + ": one panel per window end time");
      assertEquals(m.graphs().get(0).panels().get(split.label()), (long) panels.size(),
          split + " panels in the manifest");
      int present = 0;
      for (Panel p : panels) {
        assertEquals("cluster", p.jobId());
        assertEquals("cluster", p.graphId());
        assertEquals(3, p.nodes());
        assertEquals(inPerNode, p.inputsPerNode());
        assertEquals(targetsPerNode, p.targetsPerNode());
        assertTrue(ends.contains(p.endMillis()));
        for (int i = 0; i < p.nodes(); i++) {
          Row w = windows.get(MACHINES.get(i) + "@" + p.endMillis());
          float[] in = slice(p.inputs(), i, inPerNode);
          float[] target = slice(p.targets(), i, targetsPerNode);
          float[] anchor = slice(p.anchor(), i, targets);
          float[] scale = slice(p.scale(), i, targets);
          String at = split + " " + MACHINES.get(i) + " at " + Instant.ofEpochMilli(p.endMillis());
          assertEquals(w != null, p.mask()[i], at);
          if (w == null) {
            assertArrayEquals(new float[inPerNode], in, at);
            assertArrayEquals(new float[targetsPerNode], target, at);
            assertArrayEquals(new float[targets], anchor, at);
            float[] one = new float[targets];
            Arrays.fill(one, 1f);
            assertArrayEquals(one, scale, at);
          } else {
            present++;
            assertArrayEquals(decode(w, "inputs"), in, at);
            assertArrayEquals(decode(w, "targets"), target, at);
            assertArrayEquals(decode(w, WindowSchema.ANCHOR), anchor, at);
            assertArrayEquals(decode(w, WindowSchema.SCALE), scale, at);
          }
        }
        gapSeen |= p.mask()[0] && !p.mask()[1] && p.mask()[2];
        lateStartSeen |= p.mask()[0] && !p.mask()[2];
      }
      assertEquals(windows.size(), present, split + ": every window is in exactly one panel");
    }
    assertTrue(gapSeen, "some panel masks m_b in its gap while m_a and m_c have windows");
    assertTrue(lateStartSeen, "some panel masks m_c before it starts");
  }

  private static float[] slice(float[] tensor, int node, int perNode) {
    return Arrays.copyOfRange(tensor, node * perNode, (node + 1) * perNode);
  }

  private static float[] decode(Row w, String column) {
    byte[] bytes = w.getAs(column);
    assertNotNull(bytes, column);
    assertFalse(bytes.length == 0, column);
    return Float32Codec.decode(bytes);
  }
}
