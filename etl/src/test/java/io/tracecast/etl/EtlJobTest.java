package io.tracecast.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole ETL on every supported source, in local Spark, checked against its own output. */
class EtlJobTest {
  @TempDir
  static Path tmp;

  private static final SparkSession SPARK = SparkTestSession.get();

  private static Path samples(String relative) {
    return SparkTestSession.repoRoot().resolve("data/samples").resolve(relative);
  }

  static Manifest run(String source, List<String> inputs, String output, EtlSettings settings) {
    return EtlJob.run(SPARK,
        new EtlRequest(source, inputs, output, false, Optional.empty(), settings));
  }

  @Test
  void google2019SamplesGiveOneJobWithOneSeriesPerInstance() {
    // four of the ten instance files keep the test short; a glob is an input like any other
    String out = tmp.resolve("google2019").toString();
    Manifest m = run("google2019",
        List.of(samples("google2019/382").resolve("{2,22,23,27}-*.csv.gz").toString()), out,
        EtlSettings.builder().build());
    DatasetAssertions.assertConsistent(SPARK, out, m, 4, 1);
    assertEquals(4, m.counts().filesRead());
    assertEquals(List.of("382417448240-2", "382417448240-22", "382417448240-23",
        "382417448240-27"), m.series().stream().map(Manifest.SeriesEntry::seriesId).toList());
    assertEquals(List.of("382417448240"), m.jobs());
    // the configured features, then the default seasonal lag's channel of the target
    assertEquals(List.of("cpu", "cpu_max", "memory", "hour_sin", "hour_cos", "dow_sin",
        "dow_cos", "cpu_lag_1d"), m.features());
    assertTrue(m.counts().windows().get("train") > 0);
    assertTrue(m.counts().windows().get("validation") > 0);
    assertTrue(m.counts().windows().get("test") > 0);
  }

  @Test
  void bitbrainsSamplesGiveOneJobPerMonthFolderAndOneSeriesPerVm() {
    String out = tmp.resolve("bitbrains").toString();
    Manifest m = run("bitbrains", List.of(samples("bitbrains/2013-7").toString()), out,
        EtlSettings.builder().build());
    DatasetAssertions.assertConsistent(SPARK, out, m, 6, 1);
    assertEquals(List.of("2013-7"), m.jobs());
    assertEquals(List.of("1", "2", "3", "4", "5", "6"),
        m.series().stream().map(Manifest.SeriesEntry::seriesId).sorted().toList());
    // 6 headers are not rows: 8261 + 8263 + 8255 + 8254 + 8263 + 8263 lines less 6 headers
    assertEquals(49_559 - 6, m.counts().rowsRead());
  }

  @Test
  void azureSampleGivesOneJobPerVmWithoutAVmTable() {
    String out = tmp.resolve("azure").toString();
    Manifest m = run("azure", List.of(samples("azure/vm_cpu_readings-sample.csv.gz").toString()),
        out, EtlSettings.builder().build());
    DatasetAssertions.assertConsistent(SPARK, out, m, 20, 20);
    assertEquals(160_080, m.counts().rowsRead());
    assertEquals(300, m.stepSeconds());
  }

  @Test
  void alibabaSampleGivesOneJobPerMachineOnFiveMinuteSteps() {
    String out = tmp.resolve("alibaba").toString();
    Manifest m = run("alibaba", List.of(samples("alibaba/machine_usage.csv.gz").toString()),
        out, EtlSettings.builder().build());
    DatasetAssertions.assertConsistent(SPARK, out, m, 10, 10);
    assertEquals(64_469, m.counts().rowsRead());
    // irregular ~10 s readings are averaged into 5-minute steps
    assertTrue(m.counts().cleaning().rowsMergedIntoSteps() > m.counts().rowsAccepted() / 2);
  }

  @Test
  void handWrittenGoogle2011TraceGivesTheHandCountedDataset() throws IOException {
    List<Path> files = Google2011Fixture.write(tmp.resolve("google2011-input"));
    String out = tmp.resolve("google2011").toString();
    Manifest m = run("google2011", files.stream().map(Path::toString).toList(), out,
        EtlSettings.builder().build());
    DatasetAssertions.assertConsistent(SPARK, out, m, 3, 2);

    Manifest.Counts c = m.counts();
    assertEquals(2, c.filesRead());
    assertEquals(Google2011Fixture.GOOD_ROWS + Google2011Fixture.BAD_ROWS, c.rowsRead());
    assertEquals(Google2011Fixture.GOOD_ROWS, c.rowsAccepted());
    assertEquals(Map.of("WRONG_FIELD_COUNT", 1L, "NEGATIVE_USAGE", 1L, "END_BEFORE_START", 1L),
        c.quarantinedByReason());
    // 113 observed steps, 2 interpolated (6000-1), one long gap of 5 steps (7000-0)
    assertEquals(new CleaningStats(113, 0, 0, 0, 113, 1, 2, 1, 5, 0, 4), c.cleaning());

    // 40 points: train ends at 28, validation at 34; lookback 12 gives ends 11..38:
    // 16 train, 6 validation, 6 test windows. 7000-0 has segments of 20 and 15 points
    // (train ends at 24, validation at 29): 8 train windows in segment 0, 3 test in segment 1.
    Map<String, Manifest.SeriesEntry> bySeries = new java.util.HashMap<>();
    m.series().forEach(e -> bySeries.put(e.seriesId(), e));
    assertEquals(Map.of("train", 16L, "validation", 6L, "test", 6L),
        bySeries.get("6000-0").windows());
    assertEquals(Map.of("train", 16L, "validation", 6L, "test", 6L),
        bySeries.get("6000-1").windows());
    assertEquals(Map.of("train", 8L, "validation", 0L, "test", 3L),
        bySeries.get("7000-0").windows());
    assertEquals(Map.of("train", 40L, "validation", 12L, "test", 15L), c.windows());

    // trace time 600 s is 2011-05-01T23:00Z; step 28 is 28 x 5 min later
    Manifest.SeriesEntry e = bySeries.get("6000-0");
    assertEquals("2011-05-01T23:00:00Z", e.start());
    assertEquals("2011-05-02T02:15:00Z", e.end());
    assertEquals("2011-05-02T01:20:00Z", e.trainEnd());
    assertEquals("2011-05-02T01:50:00Z", e.validationEnd());
    assertEquals(2, bySeries.get("7000-0").segments());
    assertEquals(35, bySeries.get("7000-0").points());
  }

  @Test
  void handWrittenGoogle2011TraceWithHorizonStrideZScoreAndNoValidation() throws IOException {
    List<Path> files = Google2011Fixture.write(tmp.resolve("google2011-h3-input"));
    String out = tmp.resolve("google2011-h3").toString();
    EtlSettings settings = EtlSettings.builder().horizon(3).stride(2).trainFraction(0.8)
        .validationFraction(0).scaler(io.tracecast.etl.dataset.Scaler.Kind.ZSCORE).build();
    Manifest m = run("google2011", files.stream().map(Path::toString).toList(), out, settings);
    DatasetAssertions.assertConsistent(SPARK, out, m, 3, 2);
    assertEquals("zscore", m.scalerKind());
    // 40 points, train and validation end at 32: ends 11, 13, ..., 35; targets end+1..end+3;
    // ends up to 27 train (9), end 29 straddles (31 | 32), ends 31..35 test (3).
    // 7000-0 (train ends at 28): segment 0 ends 11, 13, 15 train; segment 1 end 31 test.
    Map<String, Manifest.SeriesEntry> bySeries = new java.util.HashMap<>();
    m.series().forEach(e -> bySeries.put(e.seriesId(), e));
    assertEquals(Map.of("train", 9L, "validation", 0L, "test", 3L),
        bySeries.get("6000-0").windows());
    assertEquals(Map.of("train", 9L, "validation", 0L, "test", 3L),
        bySeries.get("6000-1").windows());
    assertEquals(Map.of("train", 3L, "validation", 0L, "test", 1L),
        bySeries.get("7000-0").windows());
    assertEquals(2, m.counts().windowsStraddlingSplits());
    assertEquals(bySeries.get("6000-0").trainEnd(), bySeries.get("6000-0").validationEnd());
  }
}
