package io.tracecast.etl.source;

import static io.tracecast.etl.source.TraceSamples.assertDefaults;
import static io.tracecast.etl.source.TraceSamples.assertSameChunks;
import static io.tracecast.etl.source.TraceSamples.chunk;
import static io.tracecast.etl.source.TraceSamples.gzip;
import static io.tracecast.etl.source.TraceSamples.lines;
import static io.tracecast.etl.source.TraceSamples.micros;
import static io.tracecast.etl.source.TraceSamples.read;
import static io.tracecast.etl.source.TraceSamples.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlibabaFormatTest {
  private static final String MACHINE_USAGE = "alibaba2018/machine_usage.csv";
  private static final long ORIGIN = micros("2018-01-01T00:00:00Z");
  private static final double EPS = 1e-14;

  private final AlibabaFormat format = new AlibabaFormat();

  @Test
  void declaresMetricsAndUnits() {
    assertEquals(List.of(Metric.CPU, Metric.MEMORY, Metric.DISK_IO, Metric.NET_IN, Metric.NET_OUT),
        format.metrics());
    assertEquals("fraction of time busy", format.units().get(2));
    assertFalse(format.seriesPerFile());
  }

  @Test
  void declaresItsDefaults() {
    // no published start date: epoch 0; each machine its own job unless grouped
    assertDefaults(format, List.of("cpu", "memory", "net_in", "net_out", "hour_sin", "hour_cos",
        "dow_sin", "dow_cos"), List.of("cpu"), "1970-01-01T00:00:00Z", "machine");
  }

  @Test
  void readsMachineUsagePercentsAsFractions() throws IOException {
    FileParse parse = read(format, ORIGIN, MACHINE_USAGE, resource(MACHINE_USAGE));
    assertEquals(17, parse.rowsRead());
    assertEquals(17, parse.rowsAccepted());
    assertEquals(3, parse.chunks().size());

    // line 1: m_1932,386640,41,92,,,43.04,33.08,5
    SeriesChunk m = chunk(parse, "m_1932", "m_1932");
    assertEquals(8, m.size());
    assertEquals(ORIGIN + 386_640_000_000L, m.timestampsMicros()[0]);
    assertEquals(micros("2018-01-05T11:24:00Z"), m.timestampsMicros()[0]);
    assertEquals(0.41, m.values()[0][0], EPS);
    assertEquals(0.92, m.values()[1][0], EPS);
    assertEquals(0.05, m.values()[2][0], EPS);
    assertEquals(43.04, m.values()[3][0], EPS);
    assertEquals(33.08, m.values()[4][0], EPS);
  }

  @Test
  void matchesAnIndependentParseOfEveryRow() throws IOException {
    FileParse parse = read(format, ORIGIN, MACHINE_USAGE, resource(MACHINE_USAGE));
    Map<String, Integer> seen = new HashMap<>();
    for (String line : lines(MACHINE_USAGE)) {
      String[] f = line.split(",", -1);
      SeriesChunk m = chunk(parse, f[0], f[0]);
      int i = seen.merge(f[0], 1, Integer::sum) - 1;
      double disk = Double.parseDouble(f[8]);
      assertEquals(ORIGIN + Long.parseLong(f[1]) * 1_000_000L, m.timestampsMicros()[i]);
      assertEquals(Double.parseDouble(f[2]) / 100, m.values()[0][i], EPS, line);
      assertEquals(Double.parseDouble(f[3]) / 100, m.values()[1][i], EPS, line);
      assertEquals(disk == -1 || disk == 101 ? Double.NaN : disk / 100, m.values()[2][i], EPS, line);
      assertEquals(Double.parseDouble(f[6]), m.values()[3][i], EPS, line);
      assertEquals(Double.parseDouble(f[7]), m.values()[4][i], EPS, line);
    }
  }

  @Test
  void turnsAbnormalDiskReadingsIntoCountedMissingValues() throws IOException {
    FileParse parse = read(format, ORIGIN, MACHINE_USAGE, resource(MACHINE_USAGE));
    assertEquals(Map.of("abnormalDiskValuesNulled", 3L), parse.notes());
    // m_1934,212730,72,95,,,37.49,28.09,-1 and m_1934,572990,54,53,1.43,0,44.6,33.83,101
    SeriesChunk m = chunk(parse, "m_1934", "m_1934");
    assertTrue(Double.isNaN(m.values()[2][1]));
    assertTrue(Double.isNaN(m.values()[2][4]));
    assertEquals(0.72, m.values()[0][1], EPS);
    assertEquals(0.53, m.values()[1][4], EPS);
    assertEquals(0.23, m.values()[2][0], EPS);
    assertEquals(0.12, m.values()[2][3], EPS);
  }

  @Test
  void keepsIrregularStepsInFileOrder() throws IOException {
    SeriesChunk m = chunk(read(format, ORIGIN, MACHINE_USAGE, resource(MACHINE_USAGE)),
        "m_1932", "m_1932");
    long[] steps = new long[m.size() - 1];
    for (int i = 1; i < m.size(); i++) {
      steps[i - 1] = (m.timestampsMicros()[i] - m.timestampsMicros()[i - 1]) / 1_000_000;
    }
    assertEquals("[30, 20, 110, 130, 70, 90, 80]", Arrays.toString(steps));
  }

  @Test
  void groupsMachinesIntoJobsByConfiguration() throws IOException {
    assertTrue(format.defaults().acceptsGrouping());
    byte[] rows = resource(MACHINE_USAGE);
    FileParse cluster = read(format, new SourceContext(ORIGIN, Map.of(),
        MachineGrouping.of(MachineGrouping.CLUSTER, new org.apache.hadoop.conf.Configuration())),
        MACHINE_USAGE, rows);
    chunk(cluster, "cluster", "m_1932");
    chunk(cluster, "cluster", "m_1934");
    chunk(cluster, "cluster", "m_1935");
    // a mapping without m_1934: its 6 rows keep their machine as job and are counted
    FileParse mapped = read(format, new SourceContext(ORIGIN, Map.of(),
        MachineGrouping.of("test map", Map.of("m_1932", "g1", "m_1935", "g1"))),
        MACHINE_USAGE, rows);
    assertEquals(8, chunk(mapped, "g1", "m_1932").size());
    assertEquals(3, chunk(mapped, "g1", "m_1935").size());
    assertEquals(6, chunk(mapped, "m_1934", "m_1934").size());
    assertEquals(6L, mapped.notes().get(MachineGrouping.MISSING_NOTE));
    assertEquals(null, cluster.notes().get(MachineGrouping.MISSING_NOTE));
  }

  @Test
  void loadsAGroupingFileAndNamesTheBadLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path
      tmp) throws IOException {
    java.nio.file.Path good = java.nio.file.Files.writeString(tmp.resolve("groups.csv"),
        "machine_id,group\nm_1,a\n\nm_2 , b\nm_1,a\n");
    assertEquals(Map.of("m_1", "a", "m_2", "b"),
        MachineGrouping.load(good.toString(), new org.apache.hadoop.conf.Configuration()));
    java.nio.file.Path bad = java.nio.file.Files.writeString(tmp.resolve("bad.csv"),
        "m_1,a\nm_2\n");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> MachineGrouping.of(bad.toString(), new org.apache.hadoop.conf.Configuration()));
    assertTrue(e.getMessage().contains("bad.csv line 2"), e.getMessage());
    java.nio.file.Path twice = java.nio.file.Files.writeString(tmp.resolve("twice.csv"),
        "m_1,a\nm_1,b\n");
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> MachineGrouping.of(twice.toString(), new org.apache.hadoop.conf.Configuration()));
    assertTrue(e.getMessage().contains("group a already"), e.getMessage());
  }

  @Test
  void readsGzipAndPlainAlike() throws IOException {
    byte[] plain = resource(MACHINE_USAGE);
    assertSameChunks(read(format, ORIGIN, MACHINE_USAGE, plain),
        read(format, ORIGIN, MACHINE_USAGE, gzip(plain)));
  }
}
