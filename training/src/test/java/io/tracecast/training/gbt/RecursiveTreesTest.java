package io.tracecast.training.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.training.TrainingFixtures;
import io.tracecast.training.gbt.Rollout.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recursive tree strategy on a real window-normalised dataset of horizon 3 (Bitbrains VM 1:
 * cpu the target, memory and network other metrics, the daily and weekly calendar, cpu one day
 * earlier): its rollout against the ETL's own next windows, and its forecasts against direct
 * boosters and persistence.
 */
class RecursiveTreesTest {
  private static final int LOOKBACK = 6;
  private static final int HORIZON = 3;
  @TempDir static Path tmp;
  private static Manifest manifest;
  private static Rollout rollout;
  /** The train split's windows in time order, per the one series. */
  private static List<Row> train;
  private static List<Row> validation;

  @BeforeAll
  static void dataset() {
    String out = tmp.resolve("bitbrains-h3").toString();
    String input = Path.of(System.getProperty("tracecast.root", ".."), "data", "samples",
        "bitbrains", "2013-7", "1.csv.gz").toString();
    manifest = EtlJob.run(TrainingFixtures.spark(), new EtlRequest("bitbrains", List.of(input),
        out, false, Optional.empty(), EtlSettings.builder().lookback(LOOKBACK).horizon(HORIZON)
            .build()));
    rollout = Rollout.of(manifest);
    DatasetReader reader = DatasetReader.open(TrainingFixtures.spark(), out);
    train = ordered(reader, Split.TRAIN);
    validation = ordered(reader, Split.VALIDATION);
  }

  private static List<Row> ordered(DatasetReader reader, Split split) {
    return reader.encodedWindows(TrainingFixtures.spark(), split)
        .orderBy(WindowSchema.SERIES_ID, WindowSchema.END_TIME).collectAsList();
  }

  @Test
  void everyChannelHasItsRoleFromTheManifest() {
    List<String> f = manifest.features();
    assertTrue(rollout.relative());
    assertEquals(1, rollout.targets());
    assertEquals(Role.TARGET, rollout.channels().get(f.indexOf("cpu")).role());
    assertEquals(Role.METRIC, rollout.channels().get(f.indexOf("memory")).role());
    assertEquals(Role.LAG, rollout.channels().get(f.indexOf("cpu_lag_1d")).role());
    Rollout.Channel hour = rollout.channels().get(f.indexOf("hour_cos"));
    assertEquals(Role.CALENDAR, hour.role());
    assertArrayEquals(new int[] {f.indexOf("hour_sin"), f.indexOf("hour_cos")}, hour.sine());
  }

  /**
   * Rolled forward by its true next value, a window is the ETL's next window in every channel
   * the rollout knows: the target everywhere, the calendar everywhere (the next time's encoding),
   * the seasonal lag everywhere but the new last step (held, not known to the window).
   */
  @Test
  void aWindowRolledByItsTrueNextValueIsTheEtlsNextWindow() {
    long step = manifest.stepSeconds() * 1000;
    int f = manifest.features().size();
    int cpu = manifest.features().indexOf("cpu");
    int lag = manifest.features().indexOf("cpu_lag_1d");
    // the first day's lag channels hold the fill (the window's last value), not history
    long seasoned = WindowSchema.endMillis(train.get(0)) + Duration.ofDays(1).toMillis()
        + LOOKBACK * step;
    int compared = 0;
    for (int i = 0; i + 1 < train.size(); i++) {
      Row a = train.get(i);
      Row b = train.get(i + 1);
      if (WindowSchema.endMillis(b) - WindowSchema.endMillis(a) != step
          || WindowSchema.segment(a) != WindowSchema.segment(b)
          || WindowSchema.endMillis(a) < seasoned) {
        continue;
      }
      float[] next = rollout.step(WindowSchema.inputs(a),
          new float[] {WindowSchema.targets(a)[0]});
      float[] etl = WindowSchema.inputs(b);
      for (int t = 0; t < LOOKBACK; t++) {
        for (int c = 0; c < f; c++) {
          Role role = rollout.channels().get(c).role();
          // a lag step without history one season back holds the fill, the window's own last
          // value (0 in model space), which the previous window could not know
          boolean known = role == Role.TARGET || role == Role.CALENDAR
              || (role == Role.LAG && t < LOOKBACK - 1 && etl[t * f + c] != 0f);
          if (known) {
            int k = t * f + c;
            assertEquals(etl[k], next[k], 2e-4 * Math.max(1, Math.abs(etl[k])),
                manifest.features().get(c) + " at step " + t + " of window " + i);
          }
        }
      }
      compared++;
      assertTrue(cpu >= 0 && lag >= 0);
    }
    assertTrue(compared > 1000, compared + " consecutive pairs");
  }

  /** The calendar advances exactly at an hourly step too (a larger angle per step). */
  @Test
  void calendarChannelsAdvanceByOneStepOfAnyLength() {
    List<CalendarFeature> cal = List.of(CalendarFeature.HOUR_SIN, CalendarFeature.HOUR_COS,
        CalendarFeature.DOW_SIN, CalendarFeature.DOW_COS);
    List<Rollout.Channel> channels = new ArrayList<>();
    channels.add(new Rollout.Channel(Role.TARGET, 0, null));
    channels.add(new Rollout.Channel(Role.CALENDAR, -1, new int[] {1, 2}));
    channels.add(new Rollout.Channel(Role.CALENDAR, -1, new int[] {1, 2}));
    channels.add(new Rollout.Channel(Role.CALENDAR, -1, new int[] {3, 4}));
    channels.add(new Rollout.Channel(Role.CALENDAR, -1, new int[] {3, 4}));
    Rollout r = new Rollout(3, channels, 1, false);
    long micros = Duration.ofHours(1).toNanos() / 1000;
    long start = 1_700_000_000_000_000L;
    float[] w = new float[3 * 5];
    for (int t = 0; t < 3; t++) {
      w[t * 5] = t;
      for (int c = 0; c < 4; c++) {
        w[t * 5 + 1 + c] = (float) cal.get(c).at(start + t * micros);
      }
    }
    for (int s = 1; s <= 30; s++) {
      w = r.step(w, new float[] {7f});
      long now = start + (2 + s) * micros;
      for (int c = 0; c < 4; c++) {
        assertEquals(cal.get(c).at(now), w[2 * 5 + 1 + c], 1e-5, cal.get(c) + " after " + s);
      }
      assertEquals(7f, w[2 * 5], "job mode: the forecast itself is the new last value");
    }
  }

  @Test
  void recursiveForecastsFeedTheFirstStepBackAndBeatPersistence() {
    GbtFeatures features = new GbtFeatures(LOOKBACK, manifest.features());
    GbtSpec direct = new GbtSpec(150, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 15, "reg:absoluteerror",
        GbtSpec.DIRECT, 42);
    GbtSpec recursive = new GbtSpec(150, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 15, "reg:absoluteerror",
        GbtSpec.RECURSIVE, 42);
    List<float[]> in = train.stream().map(WindowSchema::inputs).toList();
    List<float[]> out = train.stream().map(WindowSchema::targets).toList();
    List<float[]> vin = validation.stream().map(WindowSchema::inputs).toList();
    List<float[]> vout = validation.stream().map(WindowSchema::targets).toList();
    GbtModel d = GbtTrainer.fit(direct, features, rollout, in, out, vin, vout, 1).model();
    GbtModel r = GbtTrainer.fit(recursive, features, rollout, in, out, vin, vout, 1).model();
    assertNull(d.rollout());
    assertEquals(HORIZON, d.toFiles().size());
    assertEquals(2, r.toFiles().size(), "the first step's booster and the later steps'");
    assertEquals(HORIZON, r.outputColumns());

    float[] pd = d.predict(vin);
    float[] pr = r.predict(vin);
    double[] persistence = new double[HORIZON];
    double[] recursiveMae = new double[HORIZON];
    double[] directMae = new double[HORIZON];
    for (int i = 0; i < vin.size(); i++) {
      // step 1: the same labels, data and seed make the same booster as direct's first
      assertEquals(pd[i * HORIZON], pr[i * HORIZON], 0f);
      for (int h = 0; h < HORIZON; h++) {
        persistence[h] += Math.abs(vout.get(i)[h]) / vin.size(); // model space: delta 0
        recursiveMae[h] += Math.abs(vout.get(i)[h] - pr[i * HORIZON + h]) / vin.size();
        directMae[h] += Math.abs(vout.get(i)[h] - pd[i * HORIZON + h]) / vin.size();
      }
    }
    // steps 2 and 3: the later steps' booster (read back as a one-column direct model on the
    // known channels) on the windows rolled by each forecast, the deltas added up
    GbtModel first = GbtModel.fromFiles(direct, features, null, 1,
        java.util.Map.of(GbtModel.fileName(0), r.toFiles().get(GbtModel.fileName(0))));
    List<String> knownNames = rollout.knownChannels().stream()
        .map(manifest.features()::get).toList();
    assertEquals(List.of("cpu", "hour_sin", "hour_cos", "dow_sin", "dow_cos", "cpu_lag_1d"),
        knownNames, "not memory and network: the rollout could only hold them");
    GbtModel later = GbtModel.fromFiles(direct, new GbtFeatures(LOOKBACK, knownNames), null, 1,
        java.util.Map.of(GbtModel.fileName(0), r.toFiles().get(GbtModel.fileName(1))));
    for (int i = 0; i < 50; i++) {
      float[] w = vin.get(i);
      float sum = 0;
      for (int h = 0; h < HORIZON; h++) {
        float oneStep = h == 0 ? first.predict(List.of(w))[0]
            : later.predict(List.of(rollout.known(w)))[0];
        sum += oneStep;
        assertEquals(sum, pr[i * HORIZON + h], 1e-5f, "window " + i + " step " + (h + 1));
        w = rollout.step(w, new float[] {oneStep});
      }
    }
    System.out.println("DEBUG persistence " + java.util.Arrays.toString(persistence)
        + " recursive " + java.util.Arrays.toString(recursiveMae));
    for (int h = 0; h < HORIZON; h++) {
      assertTrue(recursiveMae[h] < persistence[h], "step " + (h + 1) + ": recursive "
          + recursiveMae[h] + " vs persistence " + persistence[h]);
    }
  }
}
