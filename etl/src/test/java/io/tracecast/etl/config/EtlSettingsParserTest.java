package io.tracecast.etl.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.source.SourceDefaults;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtlSettingsParserTest {

  private static Config defaults() {
    Path conf = SparkTestSession.repoRoot().resolve("conf/application.conf");
    assertTrue(Files.isRegularFile(conf), "missing " + conf.toAbsolutePath());
    return ConfigFactory.parseFile(conf.toFile()).resolve();
  }

  /** The defaults with one HOCON override on top, as a profile or -D flag would give. */
  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(defaults()).resolve();
  }

  @Test
  void parsesApplicationConfToTheBuilderDefaults() {
    EtlSettings parsed = EtlSettingsParser.parse(defaults());
    EtlSettings built = EtlSettings.builder().build();
    // field by field first, so a drift names the setting
    assertEquals(built.step(), parsed.step());
    assertEquals(built.lookback(), parsed.lookback());
    assertEquals(built.horizon(), parsed.horizon());
    assertEquals(built.stride(), parsed.stride());
    assertEquals(built.maxGapSteps(), parsed.maxGapSteps());
    assertEquals(built.trainFraction(), parsed.trainFraction());
    assertEquals(built.validationFraction(), parsed.validationFraction());
    assertEquals(built.scaler(), parsed.scaler());
    assertEquals(built.maxUsageFraction(), parsed.maxUsageFraction());
    assertEquals(built.minTime(), parsed.minTime());
    assertEquals(built.maxTime(), parsed.maxTime());
    assertEquals(built.maxLineChars(), parsed.maxLineChars());
    assertEquals(built.skipBadFiles(), parsed.skipBadFiles());
    assertEquals(built.seasonalLags(), parsed.seasonalLags());
    assertEquals(built.normalisation(), parsed.normalisation());
    assertEquals(built.sources().keySet(), parsed.sources().keySet());
    for (String source : built.sources().keySet()) {
      assertEquals(built.source(source), parsed.source(source), "sources." + source);
    }
    assertEquals(built, parsed);
  }

  /**
   * conf/application.conf repeats each format's defaults for users to read and override: every
   * format has its block there, holding exactly its defaults, and no block names another source.
   */
  @Test
  void applicationConfDocumentsEachFormatsDefaultsAndNothingElse() {
    Config sources = defaults().getConfig(EtlSettingsParser.SOURCES);
    assertEquals(new TreeSet<>(TraceFormats.names()), new TreeSet<>(sources.root().keySet()),
        "one block per format in " + EtlSettingsParser.SOURCES);
    // every block checked, so that one run names each drifted one
    assertAll(TraceFormats.all().stream().map(format -> () -> {
      SourceDefaults d = format.defaults();
      Config block = sources.getConfig(format.name());
      String where = EtlSettingsParser.SOURCES + "." + format.name();
      Set<String> keys = new TreeSet<>(List.of(EtlSettingsParser.FEATURES,
          EtlSettingsParser.TARGETS, EtlSettingsParser.TIME_ORIGIN));
      d.grouping().ifPresent(g -> keys.add(EtlSettingsParser.GROUPING));
      assertEquals(keys, new TreeSet<>(block.root().keySet()), where);
      assertEquals(d.features(), block.getStringList(EtlSettingsParser.FEATURES), where);
      assertEquals(d.targetColumns(), block.getStringList(EtlSettingsParser.TARGETS), where);
      assertEquals(d.timeOrigin(), Instant.parse(block.getString(EtlSettingsParser.TIME_ORIGIN)),
          where);
      assertEquals(d.grouping(), block.hasPath(EtlSettingsParser.GROUPING)
          ? Optional.of(block.getString(EtlSettingsParser.GROUPING)) : Optional.empty(), where);
    }));
  }

  @Test
  void buildsEachSourcesDefaultsFromItsFormat() {
    EtlSettings built = EtlSettings.builder().build();
    assertEquals(new TreeSet<>(TraceFormats.names()), new TreeSet<>(built.sources().keySet()));
    // pinned to the values of before the defaults moved into the formats
    assertEquals(new EtlSettings.SourceSettings(List.of("cpu", "memory", "net_in", "net_out",
        "hour_sin", "hour_cos", "dow_sin", "dow_cos"), List.of("cpu"), Instant.EPOCH, "machine"),
        built.source("alibaba"));
    assertEquals(new EtlSettings.SourceSettings(List.of("cpu", "cpu_max", "memory", "hour_sin",
        "hour_cos", "dow_sin", "dow_cos"), List.of("cpu"), Instant.parse("2019-05-01T06:50:00Z")),
        built.source("google2019"));
    for (TraceFormat format : TraceFormats.all()) {
      SourceDefaults d = format.defaults();
      EtlSettings.SourceSettings s = built.source(format.name());
      assertEquals(d.features(), s.features(), format.name());
      assertEquals(d.targetColumns(), s.targets(), format.name());
      assertEquals(d.timeOrigin(), s.timeOrigin(), format.name());
      assertEquals(d.grouping().orElse(null), s.grouping(), format.name());
    }
  }

  @Test
  void appliesOverrides() {
    EtlSettings s = EtlSettingsParser.parse(with("""
        tracecast.etl {
          step = 10m, lookback = 24, horizon = 3, stride = 2, max-gap-steps = 0
          split { train = 0.8, validation = 0 }
          scaler = zscore, skip-bad-files = true
          quarantine.min-time = "2011-01-01T00:00:00Z"
          sources.azure.features = [cpu, minute_sin]
        }"""));
    assertEquals(Duration.ofMinutes(10), s.step());
    assertEquals(24, s.lookback());
    assertEquals(3, s.horizon());
    assertEquals(2, s.stride());
    assertEquals(0, s.maxGapSteps());
    assertEquals(0.8, s.trainFraction());
    assertEquals(0.0, s.validationFraction());
    assertEquals(Scaler.Kind.ZSCORE, s.scaler());
    assertTrue(s.skipBadFiles());
    assertEquals(Instant.parse("2011-01-01T00:00:00Z"), s.minTime());
    assertEquals(List.of("cpu", "minute_sin"), s.source("azure").features());
    assertEquals(EtlSettings.builder().build().source("bitbrains"), s.source("bitbrains"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "lookback                       | 0",
      "horizon                        | -1",
      "stride                         | 0",
      "max-gap-steps                  | -1",
      "step                           | 0s",
      "step                           | fivemin",
      "lookback                       | twelve",
      "split.train                    | 1.5",
      "split.train                    | 0",
      "split.validation               | -0.1",
      "scaler                         | foo",
      "quarantine.max-usage-fraction  | 0",
      "quarantine.min-time            | yesterday",
      "quarantine.max-line-chars      | 3",
      "sources.bitbrains.features     | [cpu, gpu]",
      "sources.bitbrains.targets      | [cpuu]",
      "sources.bitbrains.targets      | [hour_sin]",
      "sources.bitbrains.targets      | []",
      "sources.bitbrains.features     | [cpu, cpu]",
      "sources.azure.time-origin      | 2019-05-01",
      "seasonal-lags                  | [7m]",
      "seasonal-lags                  | [10m]",
      "seasonal-lags                  | [1d, 24h]",
      "seasonal-lags                  | [yesterday]",
      "normalisation                  | global",
      "panels.max-nodes               | 0",
      "sources.bitbrains.grouping     | cluster",
      "sources.alibaba.grouping       | ' '",
  })
  void rejectsAnInvalidValueNamingItsFullKey(String key, String value) {
    Config c = with("tracecast.etl." + key + " = " + quote(value));
    ConfigException e = assertThrows(ConfigException.class, () -> EtlSettingsParser.parse(c));
    assertTrue(e.getMessage().contains("tracecast.etl." + key),
        "message should name tracecast.etl." + key + ": " + e.getMessage());
  }

  @Test
  void parsesSeasonalLagsInWeeksAndDaysAndTheNormalisation() {
    EtlSettings s = EtlSettingsParser.parse(
        with("tracecast.etl { seasonal-lags = [1w, 1d, 12h], normalisation = job }"));
    assertEquals(List.of(Duration.ofDays(7), Duration.ofDays(1), Duration.ofHours(12)),
        s.seasonalLags());
    assertEquals(List.of("1w", "1d", "12h"),
        s.lags().stream().map(io.tracecast.etl.dataset.SeasonalLag::label).toList());
    assertEquals(List.of(2016, 288, 144),
        s.lags().stream().map(io.tracecast.etl.dataset.SeasonalLag::steps).toList());
    assertEquals(io.tracecast.etl.dataset.Normalisation.JOB, s.normalisation());
    assertEquals(List.of(), EtlSettingsParser.parse(with("tracecast.etl.seasonal-lags = []"))
        .lags(), "an empty list turns lag channels off");
  }

  @Test
  void parsesTheAlibabaGroupingAndThePanelBound() {
    EtlSettings s = EtlSettingsParser.parse(with("tracecast.etl { panels.max-nodes = 8,"
        + " sources.alibaba.grouping = \"hdfs:///groups.csv\" }"));
    assertEquals(8, s.panelMaxNodes());
    assertEquals("hdfs:///groups.csv", s.source("alibaba").grouping());
    assertEquals("machine", EtlSettingsParser.parse(defaults()).source("alibaba").grouping());
    assertEquals(null, EtlSettingsParser.parse(defaults()).source("google2019").grouping(),
        "a trace that names its jobs has no grouping");
    ConfigException e = assertThrows(ConfigException.class, () -> EtlSettingsParser.parse(
        with("tracecast.etl.sources.azure.grouping = cluster")));
    assertTrue(e.getMessage().contains("names the job"), e.getMessage());
  }

  @Test
  void rejectsALagThatTheHorizonWouldReachPast() {
    // at horizon 12 a 1h lag (12 steps) would put y(t + 1) into the window
    ConfigException e = assertThrows(ConfigException.class, () -> EtlSettingsParser.parse(
        with("tracecast.etl { horizon = 12, seasonal-lags = [1h] }")));
    assertTrue(e.getMessage().contains("tracecast.etl.seasonal-lags"), e.getMessage());
    assertTrue(e.getMessage().contains("horizon + 1 = 13"), e.getMessage());
  }

  @Test
  void windowNormalisationNeedsEveryTargetAmongTheFeatures() {
    ConfigException e = assertThrows(ConfigException.class, () -> EtlSettingsParser.parse(
        with("tracecast.etl.sources.azure.features = [cpu_max, hour_sin]")));
    assertTrue(e.getMessage().contains("tracecast.etl.normalisation"), e.getMessage());
    assertTrue(e.getMessage().contains("sources.azure.features"), e.getMessage());
    EtlSettingsParser.parse(with("tracecast.etl { normalisation = job,"
        + " sources.azure.features = [cpu_max, hour_sin] }"));
  }

  @Test
  void rejectsSplitsThatAddUpToMoreThanTheWholeSeries() {
    Config c = with("tracecast.etl.split { train = 0.9, validation = 0.2 }");
    ConfigException e = assertThrows(ConfigException.class, () -> EtlSettingsParser.parse(c));
    assertTrue(e.getMessage().contains("tracecast.etl.split"), e.getMessage());
  }

  @Test
  void explainsWhatWasExpected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> EtlSettingsParser.parse(with("tracecast.etl.scaler = foo")));
    assertTrue(e.getMessage().contains("minmax or zscore"), e.getMessage());
    assertTrue(e.getMessage().contains("'foo'"), e.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> EtlSettingsParser.parse(with("tracecast.etl.sources.google2019.features = [cpu, gpu]")));
    assertTrue(unknown.getMessage().contains("tracecast.etl.sources.google2019.features"));
    assertTrue(unknown.getMessage().contains("gpu"), unknown.getMessage());
  }

  private static String quote(String value) {
    return value.startsWith("[") || value.matches("-?[0-9.]+") ? value : '"' + value + '"';
  }
}
