package io.tracecast.etl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.tracecast.common.ConfigSection;
import io.tracecast.etl.dataset.Normalisation;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.source.MachineGrouping;
import io.tracecast.etl.source.Metric;
import io.tracecast.etl.source.TraceFormats;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code tracecast.etl} from a resolved HOCON tree into {@link EtlSettings}. Every error
 * names the full key and what was expected, at start-up, before Spark does any work.
 */
public final class EtlSettingsParser {
  public static final String ROOT = "tracecast.etl";
  /** The block of each source, {@code tracecast.etl.sources.<source>}, and its keys. */
  public static final String SOURCES = ROOT + ".sources";
  public static final String FEATURES = "features";
  public static final String TARGETS = "targets";
  public static final String TIME_ORIGIN = "time-origin";
  public static final String GROUPING = "grouping";
  private static final List<String> CALENDAR =
      Arrays.stream(CalendarFeature.values()).map(CalendarFeature::column).toList();

  private EtlSettingsParser() {}

  public static EtlSettings parse(Config c) {
    EtlSettings.Builder b = EtlSettings.builder()
        .step(positive(c, "step", c.getDuration(path("step"))))
        .lookback(atLeast(c, "lookback", 1))
        .horizon(atLeast(c, "horizon", 1))
        .stride(atLeast(c, "stride", 1))
        .maxGapSteps(atLeast(c, "max-gap-steps", 0))
        .trainFraction(positiveFraction(c, "split.train"))
        .validationFraction(fraction(c, "split.validation"))
        .scaler(scaler(c, "scaler"))
        .maxUsageFraction(positiveDouble(c, "quarantine.max-usage-fraction"))
        .minTime(instant(c, "quarantine.min-time"))
        .maxTime(instant(c, "quarantine.max-time"))
        .maxLineChars(atLeast(c, "quarantine.max-line-chars", 16))
        .skipBadFiles(c.getBoolean(path("skip-bad-files")));
    if (c.getDouble(path("split.train")) + c.getDouble(path("split.validation")) > 1.0 + 1e-9) {
      throw bad(c, "split", "split.train + split.validation <= 1");
    }
    for (Map.Entry<String, ConfigValue> e : c.getConfig(SOURCES).root().entrySet()) {
      String name = e.getKey();
      String key = "sources." + name + ".";
      EtlSettings.SourceSettings settings = new EtlSettings.SourceSettings(
          c.getStringList(path(key + FEATURES)), c.getStringList(path(key + TARGETS)),
          instant(c, key + TIME_ORIGIN), grouping(c, name, key + GROUPING));
      checkNames(c, key + FEATURES, settings.features(), true);
      checkNames(c, key + TARGETS, settings.targets(), false);
      b.source(name, settings);
    }
    List<Duration> lags = durations(c, "seasonal-lags");
    try {
      EtlSettings.lags(lags, c.getDuration(path("step")), c.getInt(path("horizon")));
    } catch (IllegalArgumentException e) {
      throw bad(c, "seasonal-lags", "whole numbers of steps greater than horizon + 1 such as"
          + " [1d, 1w]: " + e.getMessage());
    }
    b.seasonalLags(lags).normalisation(normalisation(c, "normalisation"))
        .panelMaxNodes(atLeast(c, "panels.max-nodes", 1));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // the only cross-key rule left to the record: window mode needs the targets as features
      throw bad(c, "normalisation", "job, or window with every target among the features: "
          + e.getMessage());
    }
  }

  /**
   * A list of durations; besides HOCON's units (s, m, h, d) accepts weeks ({@code 1w}), which
   * HOCON's durations lack.
   */
  private static List<Duration> durations(Config c, String key) {
    List<Duration> out = new java.util.ArrayList<>();
    for (String v : c.getStringList(path(key))) {
      java.util.regex.Matcher weeks =
          java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(w|week|weeks)\\s*").matcher(v);
      try {
        out.add(weeks.matches() ? Duration.ofDays(7 * Long.parseLong(weeks.group(1)))
            : com.typesafe.config.ConfigFactory.parseMap(Map.of("d", v)).getDuration("d"));
      } catch (ConfigException | NumberFormatException e) {
        throw bad(c, key, "a list of durations such as [1d, 1w], got '" + v + "'");
      }
    }
    return out;
  }

  /** Absent: the trace names the job. Only sources that group by configuration accept one. */
  private static String grouping(Config c, String source, String key) {
    if (!c.hasPath(path(key))) {
      return null;
    }
    String v = c.getString(path(key)).strip();
    if (!TraceFormats.names().contains(source)
        || !TraceFormats.byName(source).defaults().acceptsGrouping()) {
      throw bad(c, key, "no grouping: " + source + "'s trace names the job of each series");
    }
    if (v.isEmpty()) {
      throw bad(c, key, MachineGrouping.EXPECTED);
    }
    return v;
  }

  private static Normalisation normalisation(Config c, String key) {
    String v = c.getString(path(key));
    try {
      return Normalisation.fromLabel(v.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(c, key, "window or job, got '" + v + "'");
    }
  }

  /** Features may name metrics and calendar features, targets only metrics; no repeats. */
  private static void checkNames(Config c, String key, List<String> names, boolean calendar) {
    String expected = calendar ? "metric or calendar feature names" : "metric names";
    if (names.isEmpty() || new HashSet<>(names).size() != names.size()) {
      throw bad(c, key, "a non-empty list of distinct " + expected + ", got " + names);
    }
    for (String name : names) {
      if (calendar && CalendarFeature.isCalendar(name)) {
        continue;
      }
      try {
        Metric.fromColumn(name);
      } catch (IllegalArgumentException ex) {
        throw bad(c, key, expected + ": " + ex.getMessage()
            + (calendar ? " or a calendar feature " + CALENDAR : ""));
      }
    }
  }

  private static Duration positive(Config c, String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw bad(c, key, "a positive duration such as 5m");
    }
    return d;
  }

  private static int atLeast(Config c, String key, int min) {
    long v = section(c).atLeast(key, min);
    if (v > Integer.MAX_VALUE) {
      throw bad(c, key, "an integer <= " + Integer.MAX_VALUE + ", got " + v);
    }
    return (int) v;
  }

  private static double fraction(Config c, String key) {
    double v = c.getDouble(path(key));
    if (v < 0 || v > 1) {
      throw bad(c, key, "a fraction in [0, 1], got " + v);
    }
    return v;
  }

  /** The train share: a split without train points could fit no scaler. */
  private static double positiveFraction(Config c, String key) {
    double v = c.getDouble(path(key));
    if (!(v > 0) || v > 1) {
      throw bad(c, key, "a fraction in (0, 1], got " + v);
    }
    return v;
  }

  private static double positiveDouble(Config c, String key) {
    double v = c.getDouble(path(key));
    if (!(v > 0)) {
      throw bad(c, key, "a number > 0, got " + v);
    }
    return v;
  }

  private static Scaler.Kind scaler(Config c, String key) {
    String v = c.getString(path(key));
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "minmax" -> Scaler.Kind.MINMAX;
      case "zscore" -> Scaler.Kind.ZSCORE;
      default -> throw bad(c, key, "minmax or zscore, got '" + v + "'");
    };
  }

  private static Instant instant(Config c, String key) {
    String v = c.getString(path(key));
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw bad(c, key, "an ISO-8601 UTC instant such as 2019-05-01T00:00:00Z, got '" + v + "'");
    }
  }

  /** The full key of {@code key} in {@code source}'s block: {@code tracecast.etl.sources.S.key}. */
  public static String sourceKey(String source, String key) {
    return SOURCES + "." + source + "." + key;
  }

  private static String path(String key) {
    return ROOT + "." + key;
  }

  private static ConfigException bad(Config c, String key, String expected) {
    return section(c).bad(key, expected);
  }

  private static ConfigSection section(Config c) {
    return new ConfigSection(c, ROOT);
  }
}
