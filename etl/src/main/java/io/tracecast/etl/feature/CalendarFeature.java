package io.tracecast.etl.feature;

import java.util.List;
import java.util.Locale;

/**
 * Cyclically encoded calendar features of a UTC timestamp, each in [-1, 1]. Sine and cosine
 * together keep 23:55 next to 00:00. Hour of day and day of week are fractional (hour 13.5 at
 * 13:30) so that a 5-minute step moves the encoding smoothly.
 */
public enum CalendarFeature {
  HOUR_SIN, HOUR_COS, DOW_SIN, DOW_COS, MINUTE_SIN, MINUTE_COS;

  /** The daily and the weekly cycle, each as its sine and cosine pair. */
  public static final List<CalendarFeature> DAY_AND_WEEK =
      List.of(HOUR_SIN, HOUR_COS, DOW_SIN, DOW_COS);

  private static final long MICROS_PER_MINUTE = 60_000_000L;
  private static final long MINUTES_PER_DAY = 24 * 60;
  /** 1970-01-01 was a Thursday; shifting by 3 days makes Monday day 0 as in ISO-8601. */
  private static final long EPOCH_DAY_OF_WEEK_SHIFT = 3;

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static boolean isCalendar(String name) {
    for (CalendarFeature f : values()) {
      if (f.column().equals(name)) {
        return true;
      }
    }
    return false;
  }

  public static CalendarFeature fromColumn(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public double at(long timestampMicros) {
    long minutes = Math.floorDiv(timestampMicros, MICROS_PER_MINUTE);
    long minuteOfDay = Math.floorMod(minutes, MINUTES_PER_DAY);
    long day = Math.floorDiv(minutes, MINUTES_PER_DAY);
    double angle = switch (this) {
      case HOUR_SIN, HOUR_COS -> 2 * Math.PI * minuteOfDay / MINUTES_PER_DAY;
      case DOW_SIN, DOW_COS -> 2 * Math.PI
          * (Math.floorMod(day + EPOCH_DAY_OF_WEEK_SHIFT, 7) + minuteOfDay / (double) MINUTES_PER_DAY)
          / 7;
      case MINUTE_SIN, MINUTE_COS -> 2 * Math.PI * (minuteOfDay % 60) / 60;
    };
    return switch (this) {
      case HOUR_SIN, DOW_SIN, MINUTE_SIN -> Math.sin(angle);
      case HOUR_COS, DOW_COS, MINUTE_COS -> Math.cos(angle);
    };
  }
}
