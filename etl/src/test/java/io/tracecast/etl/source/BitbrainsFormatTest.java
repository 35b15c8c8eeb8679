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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.quarantine.QuarantineRecord;
import io.tracecast.etl.quarantine.Reason;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitbrainsFormatTest {
  private static final String VM14 = "bitbrains/2013-7/14.csv";
  private static final String VM20 = "bitbrains/2013-7/20.csv";
  private static final String VM340 = "bitbrains/2013-7/340.csv";
  /** Values are relative to provisioned capacity: a 1e-12 error would be a parsing bug. */
  private static final double EPS = 1e-12;

  private final BitbrainsFormat format = new BitbrainsFormat();

  @Test
  void declaresMetricsAndUnits() {
    assertEquals(List.of(Metric.CPU, Metric.MEMORY, Metric.DISK_READ, Metric.DISK_WRITE,
        Metric.NET_IN, Metric.NET_OUT), format.metrics());
    assertEquals(List.of("fraction of provisioned CPU", "fraction of provisioned memory", "KB/s",
        "KB/s", "KB/s", "KB/s"), format.units());
    assertTrue(format.seriesPerFile());
  }

  @Test
  void declaresItsDefaults() {
    // Unix seconds: absolute; VMs of a month are a job already
    assertDefaults(format, List.of("cpu", "memory", "net_in", "net_out", "hour_sin", "hour_cos",
        "dow_sin", "dow_cos"), List.of("cpu"), "1970-01-01T00:00:00Z", null);
  }

  @Test
  void readsCpuPercentAndMemoryShareOfProvisionedCapacity() throws IOException {
    FileParse parse = read(format, 0, "hdfs://nn/rnd/2013-7/14.csv", resource(VM14));
    SeriesChunk vm = chunk(parse, "2013-7", "14");

    // line 10: 1375095746; 1; 2599.999438; 454.99990164999997; 17.5; 2074624.0; 1672476.0;
    //          9762.666666666666; 5883.333333333333; 0.0; 0.0
    assertEquals(micros("2013-07-29T11:02:26Z"), vm.timestampsMicros()[0]);
    assertEquals(0.175, vm.values()[0][0], EPS);
    assertEquals(1672476.0 / 2074624.0, vm.values()[1][0], EPS);
    assertEquals(0.8061586099457059, vm.values()[1][0], EPS);
    assertEquals(9762.666666666666, vm.values()[2][0], 1e-9);
    assertEquals(5883.333333333333, vm.values()[3][0], 1e-9);
    assertEquals(0.0, vm.values()[4][0]);
    assertEquals(0.0, vm.values()[5][0]);
    // line 12: memory capacity changes within the VM's life (2089369.6 KB)
    assertEquals(0.8466666666666666, vm.values()[0][2], EPS);
    assertEquals(1799355.4666666666 / 2089369.6, vm.values()[1][2], EPS);
    assertEquals(micros("2013-07-29T11:12:26Z"), vm.timestampsMicros()[2]);
  }

  @Test
  void matchesAnIndependentParseOfEveryProvisionedRow() throws IOException {
    List<String> text = lines(VM14);
    FileParse parse = read(format, 0, VM14, resource(VM14));
    SeriesChunk vm = chunk(parse, "2013-7", "14");
    int row = 0;
    for (String line : text.subList(1, text.size())) {
      String[] f = line.split(";\t");
      if (Double.parseDouble(f[5]) == 0) {
        continue;
      }
      assertEquals(Long.parseLong(f[0]) * 1_000_000L, vm.timestampsMicros()[row], line);
      assertEquals(Double.parseDouble(f[4]) / 100, vm.values()[0][row], EPS, line);
      assertEquals(Double.parseDouble(f[6]) / Double.parseDouble(f[5]), vm.values()[1][row], EPS);
      for (int m = 2; m < 6; m++) {
        assertEquals(Double.parseDouble(f[m + 5]), vm.values()[m][row], 1e-9, line);
      }
      row++;
    }
    assertEquals(12, row);
    assertEquals(row, vm.size());
  }

  @Test
  void quarantinesRowsWithoutProvisionedCapacity() throws IOException {
    List<String> text = lines(VM14);
    FileParse parse = read(format, 0, VM14, resource(VM14));

    assertEquals(20, parse.rowsRead());
    assertEquals(12, parse.rowsAccepted());
    assertEquals(8, parse.quarantined().size());
    for (int i = 0; i < 8; i++) {
      QuarantineRecord q = parse.quarantined().get(i);
      assertEquals(Reason.INVALID_CAPACITY, q.reason());
      assertEquals(VM14, q.file());
      assertEquals(i + 2, q.line());
      assertEquals(text.get(i + 1), q.raw());
    }
  }

  @Test
  void quarantinesRowsOfASwitchedOffVmEvenWhenMemoryCapacityRemains() throws IOException {
    // lines 7-9 of VM 20 keep 4194304 KB of memory but 0 CPU cores and 0 MHz provisioned
    List<String> text = lines(VM20);
    FileParse parse = read(format, 0, VM20, resource(VM20));

    SeriesChunk vm = chunk(parse, "2013-7", "20");
    assertEquals(5, vm.size());
    assertEquals(1373975137L * 1_000_000L, vm.timestampsMicros()[4]);
    assertEquals(0.013333333333333335, vm.values()[0][4], EPS);
    assertEquals(7, parse.quarantined().size());
    for (int i = 0; i < 7; i++) {
      QuarantineRecord q = parse.quarantined().get(i);
      assertEquals(Reason.INVALID_CAPACITY, q.reason(), q.raw());
      assertEquals(i + 7, q.line());
      assertEquals(text.get(i + 6), q.raw());
    }
    assertEquals(parse.rowsRead(), parse.rowsAccepted() + parse.quarantined().size());
  }

  @Test
  void keepsDuplicateAndIrregularTimestampsInFileOrder() throws IOException {
    List<String> text = lines(VM340);
    FileParse parse = read(format, 0, VM340, resource(VM340));
    SeriesChunk vm = chunk(parse, "2013-7", "340");

    assertEquals(14, vm.size());
    assertEquals(0, parse.quarantined().size());
    long[] expectedSeconds = text.subList(1, text.size()).stream()
        .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(';')))).toArray();
    for (int i = 0; i < expectedSeconds.length; i++) {
      assertEquals(expectedSeconds[i] * 1_000_000L, vm.timestampsMicros()[i]);
    }
    // the 301 s step and the duplicated 1373327072 / 1373327372 (three times) rows
    assertEquals(301_000_000L, vm.timestampsMicros()[6] - vm.timestampsMicros()[5]);
    assertEquals(vm.timestampsMicros()[8], vm.timestampsMicros()[9]);
    assertEquals(vm.timestampsMicros()[10], vm.timestampsMicros()[12]);
    // duplicates are distinct readings: same time, different memory usage
    assertEquals(74796.0 / 1042432.0, vm.values()[1][8], EPS);
    assertEquals(26211.5 / 1042432.0, vm.values()[1][9], EPS);
  }

  @Test
  void readsGzipAndPlainAlike() throws IOException {
    byte[] plain = resource(VM14);
    FileParse fromPlain = read(format, 0, "rnd/2013-7/14.csv", plain);
    FileParse fromGzip = read(format, 0, "rnd/2013-7/14.csv", gzip(plain));
    assertSameChunks(fromPlain, fromGzip);
    assertEquals(12, fromGzip.rowsAccepted());

    // the series name drops .csv.gz; gzip is told by the magic bytes, not the name
    FileParse named = read(format, 0, "rnd/2013-7/14.csv.gz", gzip(plain));
    assertEquals(12, chunk(named, "2013-7", "14").size());
    FileParse misnamed = read(format, 0, "rnd/2013-7/14.csv.gz", plain);
    assertEquals(12, chunk(misnamed, "2013-7", "14").size());
  }
}
