package io.tracecast.etl.source;

import static io.tracecast.etl.source.TraceSamples.assertDefaults;
import static io.tracecast.etl.source.TraceSamples.assertSameChunks;
import static io.tracecast.etl.source.TraceSamples.chunk;
import static io.tracecast.etl.source.TraceSamples.gzip;
import static io.tracecast.etl.source.TraceSamples.lines;
import static io.tracecast.etl.source.TraceSamples.micros;
import static io.tracecast.etl.source.TraceSamples.read;
import static io.tracecast.etl.source.TraceSamples.resource;
import static io.tracecast.etl.source.TraceSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Google2019FormatTest {
  private static final String TASK_113_22 = "google2019/113/22-300000000-2531793000000.csv";
  private static final String TASK_382_2 = "google2019/382/2-900078000000-1166034000000.csv";
  private static final String JSON = "google2019/json/instance_usage-000000000000.json";
  /** 2019-05-01 00:00 PDT, where ClusterData2019 time 0 lies. */
  private static final long ORIGIN = micros("2019-05-01T07:00:00Z");
  /** Usage is in normalized units around 1e-2: 1e-15 is well below the values' own precision. */
  private static final double EPS = 1e-15;

  private final Google2019Format format = new Google2019Format();

  @Test
  void declaresMetricsAndUnits() {
    assertEquals(List.of(Metric.CPU, Metric.CPU_MAX, Metric.MEMORY), format.metrics());
    assertEquals(3, format.units().size());
    assertTrue(format.units().get(2).contains("memory"));
  }

  @Test
  void declaresItsDefaults() {
    assertDefaults(format, List.of("cpu", "cpu_max", "memory", "hour_sin", "hour_cos", "dow_sin",
        "dow_cos"), List.of("cpu"), "2019-05-01T06:50:00Z", null);
    // the trace period starts at midnight US/Pacific on 2019-05-01, at trace time 600 s
    assertEquals(ZonedDateTime.of(2019, 5, 1, 0, 0, 0, 0, ZoneId.of("America/Los_Angeles"))
        .toInstant(), format.defaults().timeOrigin().plusSeconds(600));
  }

  @Test
  void readsFlattenedCsvColumnsByName() throws IOException {
    FileParse parse = read(format, ORIGIN, TASK_113_22, resource(TASK_113_22));
    SeriesChunk task = chunk(parse, "113812204462", "113812204462-22");
    assertEquals(11, task.size());
    assertEquals(0, parse.quarantined().size());

    // line 6: time 138673000000, avg_cpu 0.006309509277343001, avg_memory 0.007362365722656,
    //         max_cpu 0.026702880859375003
    assertEquals(ORIGIN + 138_673_000_000L, task.timestampsMicros()[4]);
    assertEquals(micros("2019-05-02T21:31:13Z"), task.timestampsMicros()[4]);
    assertEquals(0.006309509277343001, task.values()[0][4], EPS);
    assertEquals(0.026702880859375003, task.values()[1][4], EPS);
    assertEquals(0.007362365722656, task.values()[2][4], EPS);
  }

  @Test
  void matchesAnIndependentParseOfEveryCsvRow() throws IOException {
    for (String path : List.of(TASK_113_22, TASK_382_2)) {
      List<String> text = lines(path);
      List<String> header = Arrays.asList(text.get(0).split(","));
      FileParse parse = read(format, ORIGIN, path, resource(path));
      assertEquals(text.size() - 1, parse.rowsAccepted(), path);
      assertEquals(1, parse.chunks().size());
      SeriesChunk task = parse.chunks().get(0);
      for (int i = 1; i < text.size(); i++) {
        String[] f = text.get(i).split(",", -1);
        assertEquals(f[header.indexOf("collection_id")], task.jobId());
        assertEquals(f[header.indexOf("collection_id")] + "-" + f[header.indexOf("instance_index")],
            task.seriesId());
        assertEquals(ORIGIN + Long.parseLong(f[header.indexOf("time")]),
            task.timestampsMicros()[i - 1]);
        assertEquals(Double.parseDouble(f[header.indexOf("avg_cpu_usage")]),
            task.values()[0][i - 1], EPS);
        assertEquals(Double.parseDouble(f[header.indexOf("max_cpu_usage")]),
            task.values()[1][i - 1], EPS);
        assertEquals(Double.parseDouble(f[header.indexOf("avg_memory_usage")]),
            task.values()[2][i - 1], EPS);
      }
    }
  }

  @Test
  void keepsIrregularStepsInFileOrder() throws IOException {
    SeriesChunk task = chunk(read(format, ORIGIN, TASK_113_22, resource(TASK_113_22)),
        "113812204462", "113812204462-22");
    long[] stepsSeconds = new long[task.size() - 1];
    for (int i = 1; i < task.size(); i++) {
      stepsSeconds[i - 1] = (task.timestampsMicros()[i] - task.timestampsMicros()[i - 1]) / 1_000_000;
    }
    assertEquals("[300, 300, 300, 73, 7, 3, 8, 209, 300, 300]", Arrays.toString(stepsSeconds));

    SeriesChunk first = chunk(read(format, ORIGIN, TASK_382_2, resource(TASK_382_2)),
        "382417448240", "382417448240-2");
    // the task starts 222 s before the first 5-minute boundary
    assertEquals(ORIGIN + 900_078_000_000L, first.timestampsMicros()[0]);
    assertEquals(222_000_000L, first.timestampsMicros()[1] - first.timestampsMicros()[0]);
  }

  @Test
  void readsBigQueryJsonLinesOfSeveralInstances() throws IOException {
    List<String> text = lines(JSON);
    FileParse parse = read(format, ORIGIN, JSON, resource(JSON));
    assertEquals(text.size(), parse.rowsAccepted());
    assertEquals(2, parse.chunks().size());
    SeriesChunk task22 = chunk(parse, "113812204462", "113812204462-22");
    SeriesChunk task2 = chunk(parse, "382417448240", "382417448240-2");
    assertEquals(10, task22.size());
    assertEquals(5, task2.size());

    // independent reading of each line: start_time and the nested usage fields by pattern
    Pattern start = Pattern.compile("\"start_time\":\"(\\d+)\"");
    Pattern average = Pattern.compile(
        "\"average_usage\":\\{\"cpus\":([0-9.e-]+),\"memory\":([0-9.e-]+)}");
    Pattern maximum = Pattern.compile("\"maximum_usage\":\\{\"cpus\":([0-9.e-]+),");
    int i22 = 0;
    int i2 = 0;
    for (String line : text) {
      boolean is22 = line.contains("\"instance_index\":22,");
      SeriesChunk task = is22 ? task22 : task2;
      int i = is22 ? i22++ : i2++;
      assertEquals(ORIGIN + Long.parseLong(group(start, line, 1)), task.timestampsMicros()[i]);
      assertEquals(Double.parseDouble(group(average, line, 1)), task.values()[0][i], EPS);
      assertEquals(Double.parseDouble(group(maximum, line, 1)), task.values()[1][i], EPS);
      assertEquals(Double.parseDouble(group(average, line, 2)), task.values()[2][i], EPS);
    }
  }

  @Test
  void readsTheSameNumbersFromJsonAsFromCsv() throws IOException {
    SeriesChunk csv = chunk(read(format, ORIGIN, TASK_113_22, resource(TASK_113_22)),
        "113812204462", "113812204462-22");
    SeriesChunk json = chunk(read(format, ORIGIN, JSON, resource(JSON)),
        "113812204462", "113812204462-22");
    // the JSON holds the CSV's rows but the last (it has no end_time)
    assertEquals(csv.size() - 1, json.size());
    for (int i = 0; i < json.size(); i++) {
      assertEquals(csv.timestampsMicros()[i], json.timestampsMicros()[i]);
      for (int m = 0; m < 3; m++) {
        assertEquals(csv.values()[m][i], json.values()[m][i], 0.0);
      }
    }
  }

  @Test
  void readsJsonTimesAndIdsGivenAsNumbers() throws IOException {
    String line = lines(JSON).get(0)
        .replace("\"start_time\":\"137700000000\"", "\"start_time\":137700000000")
        .replace("\"end_time\":\"138000000000\"", "\"end_time\":138000000000")
        .replace("\"collection_id\":\"113812204462\"", "\"collection_id\":113812204462");
    FileParse parse = read(format, ORIGIN, "numbers.json", utf8(line + "\n"));
    SeriesChunk task = chunk(parse, "113812204462", "113812204462-22");
    assertEquals(ORIGIN + 137_700_000_000L, task.timestampsMicros()[0]);
    assertEquals(0.014083862304687, task.values()[0][0], EPS);
  }

  @Test
  void leavesMaximumMissingWhenTheExportHasNone() throws IOException {
    String line = lines(JSON).get(0)
        .replace("\"maximum_usage\":{\"cpus\":0.0728759765625,\"memory\":0.007453918457031},", "");
    SeriesChunk task = chunk(read(format, ORIGIN, "nomax.json", utf8(line)),
        "113812204462", "113812204462-22");
    assertTrue(Double.isNaN(task.values()[1][0]));
    assertEquals(0.014083862304687, task.values()[0][0], EPS);
  }

  @Test
  void readsGzipAndPlainAlike() throws IOException {
    for (String path : List.of(TASK_113_22, JSON)) {
      byte[] plain = resource(path);
      assertSameChunks(read(format, ORIGIN, path, plain), read(format, ORIGIN, path, gzip(plain)));
    }
  }

  private static String group(Pattern pattern, String line, int group) {
    Matcher m = pattern.matcher(line);
    assertTrue(m.find(), () -> pattern + " not in " + line);
    return m.group(group);
  }
}
