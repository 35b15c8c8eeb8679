package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SeasonalLagTest {
  private static final Duration STEP = Duration.ofMinutes(5);

  @Test
  void countsTheLagInStepsAndNamesItsChannels() {
    SeasonalLag day = SeasonalLag.of(Duration.ofDays(1), STEP, 1);
    assertEquals(new SeasonalLag("1d", 288), day);
    assertEquals("cpu_lag_1d", day.channel("cpu"));
    assertEquals(2 - 288, day.offsetSteps(1), "last step holds y(t + 2 - 288) at horizon 1");
    assertEquals(new SeasonalLag("1w", 2016), SeasonalLag.of(Duration.ofDays(7), STEP, 1));
    assertEquals("90m", SeasonalLag.label(Duration.ofMinutes(90)));
    assertEquals("36h", SeasonalLag.label(Duration.ofHours(36)));
    assertEquals("2d", SeasonalLag.label(Duration.ofHours(48)));
  }

  @Test
  void rejectsLagsThatAreNotWholeStepsOrReachPastTheWindow() {
    IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
        () -> SeasonalLag.of(Duration.ofMinutes(7), STEP, 1));
    assertTrue(partial.getMessage().contains("whole number"), partial.getMessage());
    // horizon 3: a lag of 4 steps would put y(t + 4 - 4) = y(t)... but 3 + 1 = 4 is the limit
    IllegalArgumentException shortLag = assertThrows(IllegalArgumentException.class,
        () -> SeasonalLag.of(Duration.ofMinutes(20), STEP, 3));
    assertTrue(shortLag.getMessage().contains("horizon + 1 = 4"), shortLag.getMessage());
    assertEquals(5, SeasonalLag.of(Duration.ofMinutes(25), STEP, 3).steps());
  }
}
