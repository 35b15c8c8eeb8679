package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.WindowRollout.Role;
import io.tracecast.etl.feature.CalendarFeature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WindowRollout} against the ETL's own windows: a real window-normalised dataset of
 * horizon 3 (Bitbrains VM 1: cpu the target, memory and network other metrics, the daily and
 * weekly calendar, cpu one day earlier).
 */
class WindowRolloutTest {
  private static final int LOOKBACK = 6;
  private static final int HORIZON = 3;
  @TempDir static Path tmp;
  private static Manifest manifest;
  private static WindowRollout rollout;
  /** The train split's windows in time order (one series). */
  private static List<Row> train;

  @BeforeAll
  static void dataset() {
    HorizonSample sample = HorizonSample.bitbrainsVm1(tmp, LOOKBACK, HORIZON);
    manifest = sample.manifest();
    rollout = WindowRollout.of(manifest);
    train = sample.windows(Split.TRAIN);
  }

  @Test
  void everyChannelHasItsRoleFromTheManifest() {
    List<String> f = manifest.features();
    assertTrue(rollout.relative());
    assertEquals(1, rollout.targets());
    assertEquals(Role.TARGET, rollout.channels().get(f.indexOf("cpu")).role());
    assertEquals(Role.METRIC, rollout.channels().get(f.indexOf("memory")).role());
    assertEquals(Role.LAG, rollout.channels().get(f.indexOf("cpu_lag_1d")).role());
    WindowRollout.Channel hour = rollout.channels().get(f.indexOf("hour_cos"));
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
    List<WindowRollout.Channel> channels = new ArrayList<>();
    channels.add(new WindowRollout.Channel(Role.TARGET, 0, null));
    channels.add(new WindowRollout.Channel(Role.CALENDAR, -1, new int[] {1, 2}));
    channels.add(new WindowRollout.Channel(Role.CALENDAR, -1, new int[] {1, 2}));
    channels.add(new WindowRollout.Channel(Role.CALENDAR, -1, new int[] {3, 4}));
    channels.add(new WindowRollout.Channel(Role.CALENDAR, -1, new int[] {3, 4}));
    WindowRollout r = new WindowRollout(3, channels, 1, false);
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
}
