package io.tracecast.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Float32Codec;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Normalisation;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.SeasonalLag;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowScaling;
import io.tracecast.etl.dataset.WindowSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seasonal lag channels, per-series scales and the reader's model space, end to end on the
 * hand-written Google 2011 trace, each checked against the series table (original units) with
 * an independent computation: lags by timestamp, scales by their definition, model space by its
 * formula.
 */
class SeasonalContextTest {
  @TempDir
  static Path tmp;

  private static final SparkSession SPARK = SparkTestSession.get();
  /** 30 min = 6 steps (offset -4 at horizon 1) and 1 h = 12 steps (offset -10). */
  private static final List<Duration> LAGS = List.of(Duration.ofMinutes(30), Duration.ofHours(1));
  private static final long STEP_MICROS = 300_000_000L;

  private static Manifest jobManifest;
  private static Manifest windowManifest;
  private static DatasetReader jobMode;
  private static DatasetReader windowMode;
  /** job/series -> ts micros -> [segment, split ordinal, cpu, cpu_max, memory]. */
  private static final Map<String, TreeMap<Long, double[]>> SERIES = new HashMap<>();

  @BeforeAll
  static void runBothModes() throws IOException {
    List<String> inputs = Google2011Fixture.write(tmp.resolve("input")).stream()
        .map(Path::toString).toList();
    EtlSettings.Builder settings = EtlSettings.builder().seasonalLags(LAGS);
    jobManifest = run(inputs, "job", settings.normalisation(Normalisation.JOB).build());
    windowManifest = run(inputs, "window", settings.normalisation(Normalisation.WINDOW).build());
    jobMode = DatasetReader.open(SPARK, tmp.resolve("job").toString());
    windowMode = DatasetReader.open(SPARK, tmp.resolve("window").toString());
    for (Row r : jobMode.series(SPARK).selectExpr("job_id", "series_id", "ts", "segment",
        "split", "cpu", "cpu_max", "memory").collectAsList()) {
      long ts = r.getTimestamp(2).getTime() * 1000;
      SERIES.computeIfAbsent(r.getString(0) + "/" + r.getString(1), k -> new TreeMap<>())
          .put(ts, new double[] {r.getInt(3), Split.fromLabel(r.getString(4)).ordinal(),
              r.getDouble(5), r.getDouble(6), r.getDouble(7)});
    }
  }

  private static Manifest run(List<String> inputs, String name, EtlSettings settings) {
    String out = tmp.resolve(name).toString();
    Manifest m = EtlJob.run(SPARK, new EtlRequest("google2011", inputs, out, false,
        Optional.empty(), settings));
    DatasetAssertions.assertConsistent(SPARK, out, m, 3, 2);
    return m;
  }

  private static List<Row> windows(DatasetReader reader, Split split) {
    return reader.encodedWindows(SPARK, split).orderBy("job_id", "series_id", "end_time")
        .collectAsList();
  }

  private static float[] floats(Row r, String column) {
    return Float32Codec.decode((byte[]) r.getAs(column));
  }

  @Test
  void appendsOneChannelPerLagAndTargetWithItsTargetsScaler() {
    assertEquals(List.of("cpu", "cpu_max", "memory", "hour_sin", "hour_cos", "dow_sin",
        "dow_cos", "cpu_lag_30m", "cpu_lag_1h"), jobManifest.features());
    assertEquals(Map.of("30m", 6, "1h", 12), jobManifest.seasonalLags());
    assertEquals("job", jobManifest.normalisation());
    assertEquals("window", windowManifest.normalisation());
    for (Map<String, Scaler> s : jobManifest.scalers().values()) {
      assertEquals(s.get("cpu"), s.get("cpu_lag_30m"));
      assertEquals(s.get("cpu"), s.get("cpu_lag_1h"));
    }
    assertEquals(0.0, jobManifest.targetBounds().get("cpu").min());
  }

  /**
   * Decoded and inverse-scaled, lag channel l at lookback step p holds cpu at ts(p) + (2 - lag)
   * steps, looked up here by timestamp in the series table, or the window's last cpu where that
   * time has no point; windows with such a fill are counted per lag and split.
   */
  @Test
  void lagChannelsHoldTheTargetOneSeasonBackByTimestampAndCountFills() {
    int f = jobManifest.features().size();
    Map<String, Map<String, Long>> fills = new LinkedHashMap<>();
    long checked = 0;
    for (Split split : Split.values()) {
      for (Row r : windows(jobMode, split)) {
        String job = r.getString(0);
        TreeMap<Long, double[]> points = SERIES.get(job + "/" + r.getString(1));
        long end = r.getTimestamp(3).getTime() * 1000;
        double lastCpu = points.get(end)[2];
        float[] in = floats(r, "inputs");
        for (int l = 0; l < LAGS.size(); l++) {
          SeasonalLag lag = jobManifest.lags().get(l);
          Scaler scaler = jobManifest.scalersOf(job).get(lag.channel("cpu"));
          long offsetMicros = (jobManifest.horizon() + 1L - LAGS.get(l).toMinutes() / 5)
              * STEP_MICROS;
          boolean filled = false;
          for (int k = 0; k < jobManifest.lookback(); k++) {
            long at = end - (jobManifest.lookback() - 1L - k) * STEP_MICROS + offsetMicros;
            assertTrue(at < end, "no value from after the window's end");
            double[] point = points.get(at);
            filled |= point == null;
            double expected = point == null ? lastCpu : point[2];
            double actual = scaler.inverse(in[k * f + 7 + l]);
            assertEquals(expected, actual, 1e-5, lag.channel("cpu") + " step " + k + " of " + r);
            checked++;
          }
          if (filled) {
            fills.computeIfAbsent(lag.label(), x -> new LinkedHashMap<>())
                .merge(split.label(), 1L, Long::sum);
          }
        }
      }
    }
    assertTrue(checked > 1000, "checked " + checked);
    for (SeasonalLag lag : jobManifest.lags()) {
      Map<String, Long> bySplit = jobManifest.counts().windowsWithoutSeasonalHistoryBySplit()
          .get(lag.label());
      for (Split s : Split.values()) {
        assertEquals(fills.getOrDefault(lag.label(), Map.of()).getOrDefault(s.label(), 0L),
            bySplit.get(s.label()), lag.label() + " fills in " + s);
      }
      assertEquals(bySplit.values().stream().mapToLong(Long::longValue).sum(),
          jobManifest.counts().windowsWithoutSeasonalHistory().get(lag.label()));
    }
    // 30 min back at horizon 1 reaches 4 steps before each lookback step: windows of 6000-x end
    // at 11..38, so those ending at 11..14 need the fill (4 train windows per series); 7000-0's
    // second segment starts after a 5-step gap, which every one of its windows reaches into.
    assertEquals(4 + 4 + 4, fills.get("30m").get("train"));
    assertEquals(3, fills.get("30m").get("test"));
  }

  /** Scales by definition: mean |x[i] - x[i-1]| over consecutive train points of a segment. */
  @Test
  void recordsEachSeriesTypicalTrainStepPerMetric() {
    List<String> metrics = List.of("cpu", "cpu_max", "memory");
    for (Manifest.SeriesEntry e : windowManifest.series()) {
      assertEquals(Map.of("cpu", 0, "cpu_max", 0, "memory", 0).keySet(), e.scales().keySet());
      List<double[]> train = new ArrayList<>();
      SERIES.get(e.jobId() + "/" + e.seriesId()).values().forEach(p -> {
        if (p[1] == Split.TRAIN.ordinal()) {
          train.add(p);
        }
      });
      for (int m = 0; m < 3; m++) {
        double sum = 0;
        int n = 0;
        for (int i = 1; i < train.size(); i++) {
          if (train.get(i)[0] == train.get(i - 1)[0]) {
            sum += Math.abs(train.get(i)[2 + m] - train.get(i - 1)[2 + m]);
            n++;
          }
        }
        assertEquals(sum / n, e.scales().get(metrics.get(m)), 1e-12,
            metrics.get(m) + " of " + e.seriesId());
      }
    }
    // the fixture is linear in the step: cpu rises 0.01, cpu_max 0.015, memory 0.005 per step
    assertEquals(0.01, windowManifest.series().get(0).scales().get("cpu"), 1e-12);
    assertEquals(0.015, windowManifest.series().get(0).scales().get("cpu_max"), 1e-12);
    assertEquals(0.005, windowManifest.series().get(0).scales().get("memory"), 1e-12);
  }

  /**
   * Window mode: metric channels relative to their last value in series-scale units (0 at the
   * last step), calendar channels as stored, targets the delta to the last cpu; anchor and scale
   * bring model targets back to the series table's values in both modes.
   */
  @Test
  void modelSpaceRoundTripsToTheSeriesTableInBothModes() {
    int f = windowManifest.features().size();
    int lookback = windowManifest.lookback();
    for (Split split : Split.values()) {
      List<Row> job = windows(jobMode, split);
      List<Row> window = windows(windowMode, split);
      assertEquals(job.size(), window.size());
      for (int w = 0; w < window.size(); w++) {
        Row r = window.get(w);
        Manifest.SeriesEntry entry = windowManifest.series().stream()
            .filter(e -> e.seriesId().equals(r.getString(1))).findFirst().orElseThrow();
        TreeMap<Long, double[]> points = SERIES.get(r.getString(0) + "/" + r.getString(1));
        long end = r.getTimestamp(3).getTime() * 1000;
        double[] last = points.get(end);
        float[] in = floats(r, "inputs");
        float[] stored = floats(job.get(w), "inputs");
        for (int c = 0; c < f; c++) {
          String name = windowManifest.features().get(c);
          int lastStep = (lookback - 1) * f + c;
          if (name.startsWith("hour_") || name.startsWith("dow_")) {
            for (int k = 0; k < lookback; k++) {
              assertEquals(stored[k * f + c], in[k * f + c], 0f, name + " passes through");
            }
          } else if (c < 3) {
            assertEquals(0f, in[lastStep], 0f, name + " at the last step is its own anchor");
            // first step: (x(end - 11) - x(end)) / scale, from the series table
            double first = points.get(end - (lookback - 1L) * STEP_MICROS)[2 + c];
            assertEquals((first - last[2 + c]) / entry.scales().get(name), in[c], 1e-3,
                name + " at the first step of " + r);
          }
        }
        float[] anchor = floats(r, WindowSchema.ANCHOR);
        float[] scale = floats(r, WindowSchema.SCALE);
        assertEquals(last[2], anchor[0], 1e-6, "anchor is the last cpu");
        assertEquals(entry.scales().get("cpu"), scale[0], 1e-9);
        assertRoundTrip(windowMode, r, points, end);
        assertRoundTrip(jobMode, job.get(w), points, end);
      }
    }
  }

  private static void assertRoundTrip(DatasetReader reader, Row r, TreeMap<Long, double[]> points,
      long end) {
    float[] targets = floats(r, "targets");
    float[] anchor = floats(r, WindowSchema.ANCHOR);
    float[] scale = floats(r, WindowSchema.SCALE);
    Manifest.Bounds[] bounds = reader.scaling().targetBounds();
    for (int k = 0; k < targets.length; k++) {
      double actual = points.get(end + (k + 1) * STEP_MICROS)[2];
      double back = WindowScaling.toOriginal(anchor, scale, bounds, 0, targets[k]);
      assertEquals(actual, back, 1e-4 * Math.abs(actual),
          reader.scaling().mode() + " target " + k + " of " + r);
    }
  }
}
