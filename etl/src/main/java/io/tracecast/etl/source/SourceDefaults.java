package io.tracecast.etl.source;

import io.tracecast.etl.feature.CalendarFeature;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a source reads when the configuration says nothing else: the values of its block
 * {@code tracecast.etl.sources.<name>} ({@code features}, {@code targets}, {@code time-origin},
 * {@code grouping}). {@code EtlSettings}' defaults and the CLI help are derived from these;
 * {@code conf/application.conf} repeats them for users to read and override, and a test keeps
 * that copy equal to this one.
 *
 * @param metricFeatures metric input channels per step, first in the feature order; each one the
 *     format fills ({@link TraceFormat#metrics()})
 * @param calendarFeatures calendar input channels, after the metrics in the feature order
 * @param targets metrics the windows predict, in target order
 * @param timeOrigin the UTC instant that relative trace time 0 means; {@link Instant#EPOCH} for
 *     traces in Unix time and for traces that publish no start date
 * @param grouping for a trace that names no job: the default job of each machine, a
 *     {@link MachineGrouping} setting, overridden by {@code grouping}; empty for a trace that
 *     names the job of each series, which refuses a {@code grouping} setting
 */
public record SourceDefaults(List<Metric> metricFeatures, List<CalendarFeature> calendarFeatures,
    List<Metric> targets, Instant timeOrigin, Optional<String> grouping) {

  public SourceDefaults {
    metricFeatures = List.copyOf(metricFeatures);
    calendarFeatures = List.copyOf(calendarFeatures);
    targets = List.copyOf(targets);
    Objects.requireNonNull(timeOrigin, "timeOrigin");
    Objects.requireNonNull(grouping, "grouping");
    if (metricFeatures.isEmpty() && calendarFeatures.isEmpty()) {
      throw new IllegalArgumentException("a source needs at least one feature");
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a source needs at least one target");
    }
    requireDistinct("features", metricFeatures);
    requireDistinct("features", calendarFeatures);
    requireDistinct("targets", targets);
    if (grouping.isPresent() && grouping.get().isBlank()) {
      throw new IllegalArgumentException("a default grouping must not be blank");
    }
  }

  /** Defaults of a trace that names the job of each series: it accepts no grouping. */
  public static SourceDefaults namingJobs(List<Metric> metricFeatures,
      List<CalendarFeature> calendarFeatures, List<Metric> targets, Instant timeOrigin) {
    return new SourceDefaults(metricFeatures, calendarFeatures, targets, timeOrigin,
        Optional.empty());
  }

  /**
   * Defaults of a trace with machines but no jobs: the job of each machine comes from
   * {@code grouping}, {@code defaultGrouping} unless configured ({@link MachineGrouping}).
   */
  public static SourceDefaults groupingMachines(List<Metric> metricFeatures,
      List<CalendarFeature> calendarFeatures, List<Metric> targets, Instant timeOrigin,
      String defaultGrouping) {
    return new SourceDefaults(metricFeatures, calendarFeatures, targets, timeOrigin,
        Optional.of(defaultGrouping));
  }

  /** The feature columns in channel order: the metrics, then the calendar features. */
  public List<String> features() {
    return Stream.concat(metricFeatures.stream().map(Metric::column),
        calendarFeatures.stream().map(CalendarFeature::column)).toList();
  }

  /** The target columns in order. */
  public List<String> targetColumns() {
    return Metric.columns(targets);
  }

  /** Whether the source takes a {@code grouping} setting (its trace names no job). */
  public boolean acceptsGrouping() {
    return grouping.isPresent();
  }

  /**
   * The grouping a run uses given the configured one ({@code null}: none configured): the
   * configured grouping, else the default; empty for a trace that names its jobs, whose
   * configured grouping is refused at start-up.
   */
  public Optional<String> effectiveGrouping(String configured) {
    return grouping.map(byDefault -> configured == null ? byDefault : configured);
  }

  private static void requireDistinct(String what, List<?> values) {
    if (new HashSet<>(values).size() != values.size()) {
      throw new IllegalArgumentException(what + " repeat a name: " + values);
    }
  }
}
