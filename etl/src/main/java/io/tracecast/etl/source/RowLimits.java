package io.tracecast.etl.source;

import java.io.Serializable;

/**
 * Plausibility limits applied to every canonical row, whatever its format.
 *
 * @param maxFraction largest accepted value of a fraction-of-capacity metric (cpu, memory);
 *     usage far above capacity is not a reading
 * @param minTimeMicros earliest accepted UTC time, inclusive
 * @param maxTimeMicros latest accepted UTC time, exclusive
 * @param maxLineChars longer lines are rejected before parsing
 * @param targetIndexes positions, in the format's metric order, of the target metrics: a row
 *     without any of them carries nothing to learn from
 */
public record RowLimits(
    double maxFraction, long minTimeMicros, long maxTimeMicros, int maxLineChars,
    int[] targetIndexes) implements Serializable {

  public RowLimits {
    if (!(maxFraction > 0)) {
      throw new IllegalArgumentException("maxFraction must be > 0, got " + maxFraction);
    }
    if (minTimeMicros >= maxTimeMicros) {
      throw new IllegalArgumentException("minTimeMicros must be < maxTimeMicros");
    }
    if (maxLineChars < 16) {
      throw new IllegalArgumentException("maxLineChars must be >= 16, got " + maxLineChars);
    }
    targetIndexes = targetIndexes.clone();
  }

  /**
   * The limits of a run: times as instants, targets by column name among the format's
   * {@code metrics} (the ETL's and predict's fresh files' one rule).
   */
  public static RowLimits of(double maxFraction, java.time.Instant minTime,
      java.time.Instant maxTime, int maxLineChars, java.util.List<Metric> metrics,
      java.util.List<String> targets) {
    return new RowLimits(maxFraction, minTime.toEpochMilli() * 1000,
        maxTime.toEpochMilli() * 1000, maxLineChars,
        targets.stream().mapToInt(t -> metrics.indexOf(Metric.fromColumn(t))).toArray());
  }
}
