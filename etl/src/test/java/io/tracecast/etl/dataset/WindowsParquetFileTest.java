package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.Google2011Fixture;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.config.EtlSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a windows file with plain parquet-hadoop, as a consumer outside Spark would, and checks
 * its schema and one row against values computed by hand from the hand-written trace.
 */
class WindowsParquetFileTest {
  @TempDir
  static Path tmp;

  private static Path dataset;
  private static Manifest manifest;

  @BeforeAll
  static void writeDataset() throws IOException {
    List<String> inputs = Google2011Fixture.write(tmp.resolve("input")).stream()
        .map(Path::toString).toList();
    dataset = tmp.resolve("dataset");
    manifest = EtlJob.run(SparkTestSession.get(), new EtlRequest("google2011", inputs,
        dataset.toString(), false, Optional.empty(), EtlSettings.builder().build()));
  }

  private static List<Path> partFiles(String split, String job) throws IOException {
    Path dir = dataset.resolve("windows").resolve("split=" + split).resolve("job=" + job);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted().toList();
      assertFalse(parts.isEmpty(), "no parquet file in " + dir);
      return parts;
    }
  }

  private static List<Group> readAll(Path file) throws IOException {
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
        new org.apache.hadoop.fs.Path(file.toUri())).withConf(new Configuration()).build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        rows.add(g);
      }
    }
    return rows;
  }

  private static void assertString(MessageType schema, String name) {
    PrimitiveType t = schema.getType(name).asPrimitiveType();
    assertEquals(PrimitiveTypeName.BINARY, t.getPrimitiveTypeName(), name);
    assertEquals(LogicalTypeAnnotation.stringType(), t.getLogicalTypeAnnotation(), name);
  }

  /** Tensors are plain binary columns holding float32 little-endian values. */
  private static void assertFloat32Binary(MessageType schema, String name) {
    PrimitiveType t = schema.getType(name).asPrimitiveType();
    assertEquals(PrimitiveTypeName.BINARY, t.getPrimitiveTypeName(), name);
    assertTrue(t.isRepetition(Type.Repetition.OPTIONAL) || t.isRepetition(Type.Repetition.REQUIRED),
        name);
  }

  /** Decoded independently of Float32Codec, as a non-Java reader would. */
  private static float[] floats(Group row, String name) {
    byte[] bytes = row.getBinary(name, 0).getBytes();
    float[] out = new float[bytes.length / 4];
    for (int i = 0; i < out.length; i++) {
      int bits = (bytes[4 * i] & 0xff) | (bytes[4 * i + 1] & 0xff) << 8
          | (bytes[4 * i + 2] & 0xff) << 16 | (bytes[4 * i + 3] & 0xff) << 24;
      out[i] = Float.intBitsToFloat(bits);
    }
    return out;
  }

  @Test
  void hasTheDocumentedSchemaWithMicrosecondTimestamps() throws IOException {
    Path file = partFiles("train", "6000").get(0);
    MessageType schema;
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()),
            new Configuration()))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
    }
    assertEquals(List.of("job_id", "series_id", "segment", "end_time", "inputs", "targets"),
        schema.getFields().stream().map(Type::getName).toList(),
        "columns in order; split and job live in the partition path");
    assertString(schema, "job_id");
    assertString(schema, "series_id");
    assertEquals(PrimitiveTypeName.INT32,
        schema.getType("segment").asPrimitiveType().getPrimitiveTypeName());
    PrimitiveType endTime = schema.getType("end_time").asPrimitiveType();
    assertEquals(PrimitiveTypeName.INT64, endTime.getPrimitiveTypeName(), "not legacy INT96");
    assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
        endTime.getLogicalTypeAnnotation());
    assertFloat32Binary(schema, "inputs");
    assertFloat32Binary(schema, "targets");
  }

  @Test
  void holdsScaledTimeMajorInputsAsComputedFromTheRawTrace() throws IOException {
    List<Group> rows = new ArrayList<>();
    for (Path part : partFiles("train", "6000")) {
      rows.addAll(readAll(part));
    }
    assertEquals(32, rows.size(), "16 train windows in each of the two series of job 6000");
    Group row = rows.get(0);
    String seriesId = row.getString("series_id", 0);
    Google2011Fixture.Task task = Google2011Fixture.TASKS.stream()
        .filter(t -> t.seriesId().equals(seriesId)).findFirst().orElseThrow();
    assertEquals("6000", row.getString("job_id", 0));
    assertEquals(0, row.getInteger("segment", 0));

    // end_time -> step index: step i is at trace time 600 s + i x 300 s, origin 22:50Z
    long endMicros = row.getLong("end_time", 0);
    long originMicros = Instant.parse("2011-05-01T22:50:00Z").toEpochMilli() * 1000;
    long offset = endMicros - originMicros - Google2011Fixture.FIRST_START_MICROS;
    assertEquals(0, offset % Google2011Fixture.STEP_MICROS, "end_time on the step grid");
    int end = (int) (offset / Google2011Fixture.STEP_MICROS);
    assertTrue(end >= 11 && end + 1 < 28, "a train window of lookback 12: end " + end);

    // min-max scalers of job 6000 by hand: train is steps 0..27 of both tasks
    List<String> metrics = List.of("cpu", "cpu_max", "memory");
    double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (Google2011Fixture.Task t : Google2011Fixture.TASKS) {
      if (!t.job().equals("6000")) {
        continue;
      }
      for (int i = 0; i < 28; i++) {
        for (int m = 0; m < 3; m++) {
          double v = Google2011Fixture.metric(metrics.get(m), t, i);
          min[m] = Math.min(min[m], v);
          max[m] = Math.max(max[m], v);
        }
      }
    }

    // 7 configured features and the default lag channel cpu_lag_1d: 40 points hold no day of
    // history, so the channel holds the last observed cpu throughout (the counted fill)
    float[] inputs = floats(row, "inputs");
    assertEquals(12 * 8, inputs.length);
    assertEquals(8, manifest.features().size());
    double lastCpu = (Google2011Fixture.cpu(task, end) - min[0]) / (max[0] - min[0]);
    for (int k = 0; k < 12; k++) {
      int step = end - 11 + k;
      ZonedDateTime at = Instant.ofEpochMilli((endMicros - (11 - k) * 300_000_000L) / 1000)
          .atZone(ZoneOffset.UTC);
      double hour = at.getHour() + at.getMinute() / 60.0;
      double day = at.getDayOfWeek().getValue() - 1 + hour / 24;
      double[] expected = new double[8];
      for (int m = 0; m < 3; m++) {
        double raw = Google2011Fixture.metric(metrics.get(m), task, step);
        expected[m] = (raw - min[m]) / (max[m] - min[m]);
      }
      expected[3] = Math.sin(2 * Math.PI * hour / 24);
      expected[4] = Math.cos(2 * Math.PI * hour / 24);
      expected[5] = Math.sin(2 * Math.PI * day / 7);
      expected[6] = Math.cos(2 * Math.PI * day / 7);
      expected[7] = lastCpu;
      for (int f = 0; f < 8; f++) {
        assertEquals(expected[f], inputs[8 * k + f], 1e-5,
            manifest.features().get(f) + " at input step " + k + " of " + seriesId);
      }
    }
    float[] targets = floats(row, "targets");
    assertEquals(1, targets.length);
    double target = (Google2011Fixture.cpu(task, end + 1) - min[0]) / (max[0] - min[0]);
    assertEquals(target, targets[0], 1e-5);
    assertFalse(Float.isNaN(targets[0]));

    // the manifest's scalers are the ones computed here
    Scaler cpu = manifest.scalersOf("6000").get("cpu");
    assertNotNull(cpu);
    assertEquals(min[0], cpu.offset(), 1e-12);
    assertEquals(max[0] - min[0], cpu.scale(), 1e-12);
  }
}
