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
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No 2011 sample is bundled yet: rows are written to the published task_usage schema. */
class Google2011FormatTest {
  private static final String ROWS = "google2011/task_usage-schema-rows.csv";
  /** 2011-05-01 19:00 EDT, where ClusterData2011 time 0 lies. */
  private static final long ORIGIN = micros("2011-05-01T23:00:00Z");
  private static final double EPS = 1e-15;

  private final Google2011Format format = new Google2011Format();

  @Test
  void declaresMetricsAndUnits() {
    assertEquals(List.of(Metric.CPU, Metric.CPU_MAX, Metric.MEMORY, Metric.DISK_IO),
        format.metrics());
    assertEquals("disk I/O seconds per second", format.units().get(3));
    assertFalse(format.seriesPerFile());
  }

  @Test
  void declaresItsDefaults() {
    assertDefaults(format, List.of("cpu", "cpu_max", "memory", "hour_sin", "hour_cos", "dow_sin",
        "dow_cos"), List.of("cpu"), "2011-05-01T22:50:00Z", null);
    // the trace starts at 19:00 EDT on 2011-05-01, at trace time 600 s
    assertEquals(ZonedDateTime.of(2011, 5, 1, 19, 0, 0, 0, ZoneId.of("America/New_York"))
        .toInstant(), format.defaults().timeOrigin().plusSeconds(600));
  }

  @Test
  void readsTaskUsageColumnsOfThePublishedSchema() throws IOException {
    FileParse parse = read(format, ORIGIN, "task_usage/part-00000-of-00500.csv", resource(ROWS));
    assertEquals(4, parse.rowsAccepted());
    assertEquals(3, parse.chunks().size());

    // row 1: start 600000000 µs, job 3418309, task 0, cpu rate 0.001562 (col 5), canonical
    //        memory 0.06787 (col 6), disk I/O time 2.861e-06 (col 11), max cpu 0.03119 (col 13)
    SeriesChunk task0 = chunk(parse, "3418309", "3418309-0");
    assertEquals(2, task0.size());
    assertEquals(ORIGIN + 600_000_000L, task0.timestampsMicros()[0]);
    assertEquals(micros("2011-05-01T23:10:00Z"), task0.timestampsMicros()[0]);
    assertEquals(0.001562, task0.values()[0][0], EPS);
    assertEquals(0.03119, task0.values()[1][0], EPS);
    assertEquals(0.06787, task0.values()[2][0], EPS);
    assertEquals(2.861e-06, task0.values()[3][0], EPS);
    assertEquals(micros("2011-05-01T23:15:00Z"), task0.timestampsMicros()[1]);
    assertEquals(0.001386, task0.values()[0][1], EPS);

    SeriesChunk task1 = chunk(parse, "3418309", "3418309-1");
    assertEquals(0.001564, task1.values()[0][0], EPS);
  }

  @Test
  void matchesAnIndependentParseOfEveryRow() throws IOException {
    FileParse parse = read(format, ORIGIN, ROWS, resource(ROWS));
    int[] seen = new int[parse.chunks().size()];
    for (String line : lines(ROWS)) {
      String[] f = line.split(",", -1);
      assertEquals(20, f.length);
      int c = parse.chunks().indexOf(chunk(parse, f[2], f[2] + "-" + f[3]));
      SeriesChunk task = parse.chunks().get(c);
      int i = seen[c]++;
      assertEquals(ORIGIN + Long.parseLong(f[0]), task.timestampsMicros()[i]);
      int[] columns = {5, 13, 6, 11};
      for (int m = 0; m < 4; m++) {
        double expected = f[columns[m]].isEmpty() ? Double.NaN : Double.parseDouble(f[columns[m]]);
        assertEquals(expected, task.values()[m][i], EPS, line);
      }
    }
  }

  @Test
  void leavesEmptyOptionalColumnsMissing() throws IOException {
    // row 4 has no maximum CPU rate, CPI or MAI; its mean CPU rate (the target) is there
    SeriesChunk task = chunk(read(format, ORIGIN, ROWS, resource(ROWS)),
        "4665712499", "4665712499-68");
    assertTrue(Double.isNaN(task.values()[1][0]));
    assertEquals(0.1436, task.values()[0][0], EPS);
    assertEquals(0.01465, task.values()[2][0], EPS);
  }

  @Test
  void readsGzipAndPlainAlike() throws IOException {
    byte[] plain = resource(ROWS);
    assertSameChunks(read(format, ORIGIN, ROWS, plain), read(format, ORIGIN, ROWS, gzip(plain)));
  }
}
