package io.tracecast.etl.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CalendarFeatureTest {
  private static final double EPS = 1e-12;

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** The same encodings computed from java.time's UTC calendar, truncated to the minute. */
  private static double expected(CalendarFeature f, Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    double hourOfDay = z.getHour() + z.getMinute() / 60.0;
    double dayOfWeek = z.getDayOfWeek().getValue() - 1 + hourOfDay / 24.0; // Monday = 0
    double minute = z.getMinute();
    return switch (f) {
      case HOUR_SIN -> Math.sin(2 * Math.PI * hourOfDay / 24);
      case HOUR_COS -> Math.cos(2 * Math.PI * hourOfDay / 24);
      case DOW_SIN -> Math.sin(2 * Math.PI * dayOfWeek / 7);
      case DOW_COS -> Math.cos(2 * Math.PI * dayOfWeek / 7);
      case MINUTE_SIN -> Math.sin(2 * Math.PI * minute / 60);
      case MINUTE_COS -> Math.cos(2 * Math.PI * minute / 60);
    };
  }

  @Test
  void encodesMonday13h30AsComputedByHand() {
    Instant t = Instant.parse("2019-05-06T13:30:00Z");
    assertEquals(DayOfWeek.MONDAY, t.atZone(ZoneOffset.UTC).getDayOfWeek());
    long us = micros(t);
    // hour 13.5 of 24; Monday is day 0, so the day-of-week angle is (0 + 13.5/24) of 7 days
    assertEquals(Math.sin(2 * Math.PI * 13.5 / 24), CalendarFeature.HOUR_SIN.at(us), EPS);
    assertEquals(Math.cos(2 * Math.PI * 13.5 / 24), CalendarFeature.HOUR_COS.at(us), EPS);
    assertEquals(Math.sin(2 * Math.PI * (13.5 / 24) / 7), CalendarFeature.DOW_SIN.at(us), EPS);
    assertEquals(Math.cos(2 * Math.PI * (13.5 / 24) / 7), CalendarFeature.DOW_COS.at(us), EPS);
    // minute 30 of 60: half a turn
    assertEquals(0.0, CalendarFeature.MINUTE_SIN.at(us), EPS);
    assertEquals(-1.0, CalendarFeature.MINUTE_COS.at(us), EPS);
  }

  @Test
  void encodesMidnightOfAMondayAsAngleZero() {
    long us = micros(Instant.parse("2011-05-02T00:00:00Z")); // a Monday
    assertEquals(0.0, CalendarFeature.HOUR_SIN.at(us), EPS);
    assertEquals(1.0, CalendarFeature.HOUR_COS.at(us), EPS);
    assertEquals(0.0, CalendarFeature.DOW_SIN.at(us), EPS);
    assertEquals(1.0, CalendarFeature.DOW_COS.at(us), EPS);
  }

  @Test
  void encodesTheEpochAsThursday() {
    // 1970-01-01 was a Thursday: day 3 with Monday = 0
    assertEquals(Math.sin(2 * Math.PI * 3 / 7), CalendarFeature.DOW_SIN.at(0), EPS);
    assertEquals(Math.cos(2 * Math.PI * 3 / 7), CalendarFeature.DOW_COS.at(0), EPS);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2019-05-06T13:30:00Z", "2019-05-12T23:55:00Z", "2011-05-01T23:00:00Z",
      "2013-07-01T00:03:24Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:30Z",
      "1900-03-01T12:17:00Z", "2024-02-29T06:45:59.999999Z", "2099-12-31T18:00:00Z"})
  void matchesJavaTimeAtKnownInstants(String instant) {
    Instant t = Instant.parse(instant);
    for (CalendarFeature f : CalendarFeature.values()) {
      assertEquals(expected(f, t), f.at(micros(t)), EPS, f + " at " + instant);
    }
  }

  @Test
  void matchesJavaTimeAtRandomInstants() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      long seconds = random.nextLong(-2_000_000_000L, 4_000_000_000L);
      Instant t = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000) * 1000L);
      for (CalendarFeature f : CalendarFeature.values()) {
        double v = f.at(micros(t));
        assertEquals(expected(f, t), v, 1e-9, f + " at " + t);
        assertTrue(v >= -1 && v <= 1);
      }
    }
  }

  @Test
  void keepsTheLastStepOfTheDayNextToMidnight() {
    long beforeMidnight = micros(Instant.parse("2019-05-12T23:55:00Z"));
    long midnight = micros(Instant.parse("2019-05-13T00:00:00Z"));
    double distance = Math.hypot(
        CalendarFeature.HOUR_SIN.at(beforeMidnight) - CalendarFeature.HOUR_SIN.at(midnight),
        CalendarFeature.HOUR_COS.at(beforeMidnight) - CalendarFeature.HOUR_COS.at(midnight));
    assertEquals(2 * Math.sin(Math.PI * 5 / 1440), distance, EPS, "one 5-minute arc apart");
    // Sunday 23:55 to Monday 00:00 is as close as any other 5 minutes of the week
    double week = Math.hypot(
        CalendarFeature.DOW_SIN.at(beforeMidnight) - CalendarFeature.DOW_SIN.at(midnight),
        CalendarFeature.DOW_COS.at(beforeMidnight) - CalendarFeature.DOW_COS.at(midnight));
    assertEquals(2 * Math.sin(Math.PI * 5 / (7 * 1440)), week, EPS);
  }

  @Test
  void mapsColumnNames() {
    assertEquals("hour_sin", CalendarFeature.HOUR_SIN.column());
    assertEquals(CalendarFeature.DOW_COS, CalendarFeature.fromColumn("dow_cos"));
    assertTrue(CalendarFeature.isCalendar("minute_cos"));
    assertFalse(CalendarFeature.isCalendar("cpu"));
    assertThrows(IllegalArgumentException.class, () -> CalendarFeature.fromColumn("month_sin"));
  }
}
