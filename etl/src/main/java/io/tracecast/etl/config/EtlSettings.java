package io.tracecast.etl.config;

import io.tracecast.etl.dataset.Normalisation;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.SeasonalLag;
import io.tracecast.etl.source.SourceDefaults;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed ETL settings, parsed once from HOCON ({@code tracecast.etl}) by {@link EtlSettingsParser}
 * or built in code with {@link #builder()}. Defaults here equal those documented in
 * {@code conf/application.conf}; a test keeps the two in step. A source's defaults are its
 * format's ({@link TraceFormat#defaults()}).
 *
 * @param maxGapSteps gaps of at most this many missing steps are interpolated; longer ones cut
 *     the series into segments
 * @param maxUsageFraction rows with a fraction-of-capacity metric above this are quarantined
 * @param sources per-source features, targets, time origin and grouping, by source name
 * @param seasonalLags one input channel per lag and target ({@link SeasonalLag}); each a whole
 *     number of steps greater than horizon + 1
 * @param normalisation what the reader's model-space tensors are relative to
 * @param panelMaxNodes most nodes (series) of one panel graph: a job with more series is split
 *     into sub-graphs of correlated series ({@code graph/GraphPlanner})
 */
public record EtlSettings(
    Duration step,
    int lookback,
    int horizon,
    int stride,
    int maxGapSteps,
    double trainFraction,
    double validationFraction,
    Scaler.Kind scaler,
    double maxUsageFraction,
    Instant minTime,
    Instant maxTime,
    int maxLineChars,
    boolean skipBadFiles,
    Map<String, SourceSettings> sources,
    List<Duration> seasonalLags,
    Normalisation normalisation,
    int panelMaxNodes) implements Serializable {

  public EtlSettings {
    sources = Map.copyOf(sources);
    seasonalLags = List.copyOf(seasonalLags);
    if (normalisation == null) {
      throw new IllegalArgumentException("tracecast.etl.normalisation: expected window or job");
    }
    if (panelMaxNodes < 1) {
      throw new IllegalArgumentException(
          "tracecast.etl.panels.max-nodes: expected an integer >= 1, got " + panelMaxNodes);
    }
    try {
      lags(seasonalLags, step, horizon);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tracecast.etl.seasonal-lags: " + e.getMessage(), e);
    }
    if (normalisation == Normalisation.WINDOW) {
      for (Map.Entry<String, SourceSettings> e : sources.entrySet()) {
        String missing = targetsMissingFromFeatures(e.getValue());
        if (missing != null) {
          throw new IllegalArgumentException("tracecast.etl.normalisation = window needs every"
              + " target among the features (its last value is the window's anchor), but "
              + EtlSettingsParser.sourceKey(e.getKey(), EtlSettingsParser.FEATURES) + " lacks "
              + missing);
        }
      }
    }
  }

  /** The seasonal lags in steps, validated against step and horizon; fails on repeats. */
  public static List<SeasonalLag> lags(List<Duration> lags, Duration step, int horizon) {
    List<SeasonalLag> out = lags.stream().map(l -> SeasonalLag.of(l, step, horizon)).toList();
    if (out.stream().map(SeasonalLag::steps).distinct().count() != out.size()) {
      throw new IllegalArgumentException("seasonal lags repeat a lag: " + out);
    }
    return out;
  }

  /** The seasonal lags of these settings, in channel order. */
  public List<SeasonalLag> lags() {
    return lags(seasonalLags, step, horizon);
  }

  /** The first target that is not also a feature, or null. */
  public static String targetsMissingFromFeatures(SourceSettings s) {
    return s.targets().stream().filter(t -> !s.features().contains(t)).findFirst().orElse(null);
  }

  /**
   * @param timeOrigin what relative trace time 0 means; {@link Instant#EPOCH} for absolute traces
   * @param grouping how series are grouped into jobs where the trace has no jobs
   *     ({@code source/MachineGrouping}: machine, cluster, or a CSV file); null for sources
   *     whose trace names the job
   */
  public record SourceSettings(List<String> features, List<String> targets, Instant timeOrigin,
      String grouping) implements Serializable {
    public SourceSettings {
      features = List.copyOf(features);
      targets = List.copyOf(targets);
      if (grouping != null && grouping.isBlank()) {
        throw new IllegalArgumentException("a grouping must not be blank");
      }
    }

    /** Settings of a source whose trace names the job. */
    public SourceSettings(List<String> features, List<String> targets, Instant timeOrigin) {
      this(features, targets, timeOrigin, null);
    }

    /** The settings a source has when the configuration overrides none of its defaults. */
    public static SourceSettings of(SourceDefaults defaults) {
      return new SourceSettings(defaults.features(), defaults.targetColumns(),
          defaults.timeOrigin(), defaults.grouping().orElse(null));
    }
  }

  public SourceSettings source(String name) {
    SourceSettings s = sources.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no settings for source '" + name + "'; known: "
          + sources.keySet());
    }
    return s;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.step = step;
    b.lookback = lookback;
    b.horizon = horizon;
    b.stride = stride;
    b.maxGapSteps = maxGapSteps;
    b.trainFraction = trainFraction;
    b.validationFraction = validationFraction;
    b.scaler = scaler;
    b.maxUsageFraction = maxUsageFraction;
    b.minTime = minTime;
    b.maxTime = maxTime;
    b.maxLineChars = maxLineChars;
    b.skipBadFiles = skipBadFiles;
    b.sources = new LinkedHashMap<>(sources);
    b.seasonalLags = seasonalLags;
    b.normalisation = normalisation;
    b.panelMaxNodes = panelMaxNodes;
    return b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private Duration step = Duration.ofMinutes(5);
    private int lookback = 12;
    private int horizon = 1;
    private int stride = 1;
    private int maxGapSteps = 3;
    private double trainFraction = 0.70;
    private double validationFraction = 0.15;
    private Scaler.Kind scaler = Scaler.Kind.MINMAX;
    private double maxUsageFraction = 2.0;
    private Instant minTime = Instant.EPOCH;
    private Instant maxTime = Instant.parse("2100-01-01T00:00:00Z");
    private int maxLineChars = 65_536;
    private boolean skipBadFiles = false;
    private Map<String, SourceSettings> sources = defaultSources();
    private List<Duration> seasonalLags = List.of(Duration.ofDays(1));
    private Normalisation normalisation = Normalisation.WINDOW;
    private int panelMaxNodes = 64;

    /** Each format's own defaults, by source name: {@link TraceFormat#defaults()}. */
    private static Map<String, SourceSettings> defaultSources() {
      Map<String, SourceSettings> m = new LinkedHashMap<>();
      for (TraceFormat format : TraceFormats.all()) {
        m.put(format.name(), SourceSettings.of(format.defaults()));
      }
      return m;
    }

    public Builder step(Duration v) { step = v; return this; }
    public Builder lookback(int v) { lookback = v; return this; }
    public Builder horizon(int v) { horizon = v; return this; }
    public Builder stride(int v) { stride = v; return this; }
    public Builder maxGapSteps(int v) { maxGapSteps = v; return this; }
    public Builder trainFraction(double v) { trainFraction = v; return this; }
    public Builder validationFraction(double v) { validationFraction = v; return this; }
    public Builder scaler(Scaler.Kind v) { scaler = v; return this; }
    public Builder maxUsageFraction(double v) { maxUsageFraction = v; return this; }
    public Builder minTime(Instant v) { minTime = v; return this; }
    public Builder maxTime(Instant v) { maxTime = v; return this; }
    public Builder maxLineChars(int v) { maxLineChars = v; return this; }
    public Builder skipBadFiles(boolean v) { skipBadFiles = v; return this; }
    public Builder source(String name, SourceSettings v) { sources.put(name, v); return this; }
    public Builder seasonalLags(List<Duration> v) { seasonalLags = v; return this; }
    public Builder normalisation(Normalisation v) { normalisation = v; return this; }
    public Builder panelMaxNodes(int v) { panelMaxNodes = v; return this; }

    public EtlSettings build() {
      return new EtlSettings(step, lookback, horizon, stride, maxGapSteps, trainFraction,
          validationFraction, scaler, maxUsageFraction, minTime, maxTime, maxLineChars,
          skipBadFiles, sources, seasonalLags, normalisation, panelMaxNodes);
    }
  }
}
