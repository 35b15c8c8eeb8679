package io.tracecast.etl.source;

import static io.tracecast.etl.source.TraceSamples.assertDefaults;
import static io.tracecast.etl.source.TraceSamples.assertSameChunks;
import static io.tracecast.etl.source.TraceSamples.chunk;
import static io.tracecast.etl.source.TraceSamples.gunzip;
import static io.tracecast.etl.source.TraceSamples.lines;
import static io.tracecast.etl.source.TraceSamples.micros;
import static io.tracecast.etl.source.TraceSamples.read;
import static io.tracecast.etl.source.TraceSamples.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class AzureFormatTest {
  private static final String SAMPLE = "azure2017/vm_cpu_readings-sample-head.csv.gz";
  private static final String SCHEMA_ROWS = "azure2017/schema/vm_cpu_readings-file-1-of-125.csv";
  private static final String VMTABLE = "azure2017/schema/vmtable.csv";
  private static final long ORIGIN = micros("2016-11-16T00:00:00Z");
  /** Percent over 100 turned into a fraction: exact to the last few bits. */
  private static final double EPS = 1e-14;
  private static final String VM_A =
      "yNf/R3X8fyXkOJm3ihXQcT0F52a8cDWPPRzTT6QFW8N+1QPfeKR5//6xyX0VYn7X";
  private static final String VM_B =
      "4WstS6Ub3GzHun4Mzb6BxLldKvkEyws2SQVe+T3XdFamI2iC0KQqV3EPcvZg4ZH+";
  private static final String VM_NOT_IN_TABLE =
      "Tjv2s2rAbm3Kzcj/mEjc0mlrr9+iqKd/oJOrmG2hq7K0W0O9W+wu0kNBHq3EQ1P=";
  private static final String DEPLOYMENT =
      "H3oKeVbSGuj+HA5kOg6phVPz5sMZgMzhbVh5iJwsORiz4wzpm3yULgEIlxyKOiie";

  private final AzureFormat format = new AzureFormat();

  @Test
  void declaresMetricsAndUnits() {
    assertEquals(List.of(Metric.CPU, Metric.CPU_MAX), format.metrics());
    assertEquals(List.of("fraction of the VM's CPU (average)", "fraction of the VM's CPU (maximum)"),
        format.units());
  }

  @Test
  void declaresItsDefaults() {
    // no published start date: epoch 0; VMs of a deployment are a job already
    assertDefaults(format, List.of("cpu", "cpu_max", "hour_sin", "hour_cos", "dow_sin",
        "dow_cos"), List.of("cpu"), "1970-01-01T00:00:00Z", null);
  }

  @Test
  void readsTheRealSampleWithEmptyMinAndNumericIds() throws IOException {
    FileParse parse = read(format, ORIGIN, "vm_cpu_readings-file-1-of-125.csv.gz", resource(SAMPLE));
    assertEquals(200, parse.rowsRead());
    assertEquals(200, parse.rowsAccepted());
    assertEquals(20, parse.chunks().size());

    // line 1: 0,1633748,,71.889037,44.459092
    SeriesChunk vm = chunk(parse, "1633748", "1633748");
    assertEquals(10, vm.size());
    assertEquals(ORIGIN, vm.timestampsMicros()[0]);
    assertEquals(0.44459092, vm.values()[0][0], EPS);
    assertEquals(0.71889037, vm.values()[1][0], EPS);
    for (int i = 1; i < vm.size(); i++) {
      assertEquals(micros("2016-11-16T00:00:00Z") + i * 300_000_000L, vm.timestampsMicros()[i]);
    }
  }

  @Test
  void matchesAnIndependentParseOfEverySampleRow() throws IOException {
    FileParse parse = read(format, ORIGIN, SAMPLE, resource(SAMPLE));
    Map<String, Integer> seen = new HashMap<>();
    for (String line : lines(SAMPLE)) {
      String[] f = line.split(",", -1);
      assertEquals("", f[2], "the repackaged sample has no min cpu");
      SeriesChunk vm = chunk(parse, f[1], f[1]);
      int i = seen.merge(f[1], 1, Integer::sum) - 1;
      assertEquals(ORIGIN + Long.parseLong(f[0]) * 1_000_000L, vm.timestampsMicros()[i]);
      assertEquals(Double.parseDouble(f[4]) / 100, vm.values()[0][i], EPS, line);
      assertEquals(Double.parseDouble(f[3]) / 100, vm.values()[1][i], EPS, line);
    }
    assertEquals(20, seen.size());
  }

  @Test
  void readsPublishedSchemaRowsWithBase64Ids() throws IOException {
    FileParse parse = read(format, ORIGIN, SCHEMA_ROWS, resource(SCHEMA_ROWS));
    assertEquals(6, parse.rowsAccepted());
    // without a vmtable every VM is its own job
    SeriesChunk a = chunk(parse, VM_A, VM_A);
    assertEquals(ORIGIN + 300_000_000L, a.timestampsMicros()[1]);
    assertEquals(0.2218, a.values()[0][0], EPS);
    assertEquals(0.2499, a.values()[1][0], EPS);
    assertEquals(0.2402, a.values()[0][1], EPS);
    assertEquals(0.312, a.values()[1][1], EPS);
    SeriesChunk c = chunk(parse, VM_NOT_IN_TABLE, VM_NOT_IN_TABLE);
    assertEquals(1.0, c.values()[1][0], EPS);
    assertEquals(0.375, c.values()[0][0], EPS);
  }

  @Test
  void groupsVmsByDeploymentWithAVmTable() throws IOException, URISyntaxException {
    String vmtable = Paths.get(getClass().getResource("/traces/" + VMTABLE).toURI()).toString();
    Map<String, SourceContext.VmInfo> table = VmTable.load(vmtable, new Configuration());
    assertEquals(3, table.size());
    assertEquals(new SourceContext.VmInfo(DEPLOYMENT, "Delay-insensitive", "2", "4"),
        table.get(VM_A));
    assertEquals(">64", table.get("9ka3uO5sMx4TpXzqP5v1QqUKzYl6sMr0cB2u9bZc6TnRJ0bY8v/9D3OZr0QmXq2B")
        .memoryBucket());
    assertNull(table.get(VM_NOT_IN_TABLE));

    FileParse parse = read(format, new SourceContext(ORIGIN, table), SCHEMA_ROWS,
        resource(SCHEMA_ROWS));
    assertEquals(3, parse.chunks().size());
    SeriesChunk a = chunk(parse, DEPLOYMENT, VM_A);
    SeriesChunk b = chunk(parse, DEPLOYMENT, VM_B);
    assertEquals(0.0561, b.values()[0][0], EPS);
    assertEquals(0.0977, b.values()[1][1], EPS);
    assertEquals(2, a.size());
    // a VM missing from the table keeps its own id as job, and is counted once per row
    chunk(parse, VM_NOT_IN_TABLE, VM_NOT_IN_TABLE);
    assertEquals(Map.of("vmsMissingFromVmTable", 2L), parse.notes());
  }

  @Test
  void readsGzipAndPlainAlike() throws IOException {
    byte[] gzip = resource(SAMPLE);
    assertSameChunks(read(format, ORIGIN, SAMPLE, gunzip(gzip)), read(format, ORIGIN, SAMPLE, gzip));
  }
}
