package io.tracecast.etl.clean;

import java.io.Serializable;

/**
 * What cleaning did to one series (or, summed, to a dataset). Every row that entered cleaning
 * is accounted for: {@code rowsIn == exactDuplicatesDropped + duplicateTimestampsMerged
 * + rowsMergedIntoSteps + stepsObserved}.
 */
public record CleaningStats(
    long rowsIn,
    long exactDuplicatesDropped,
    long duplicateTimestampsMerged,
    long rowsMergedIntoSteps,
    long stepsObserved,
    long gapsInterpolated,
    long stepsInterpolated,
    long longGaps,
    long stepsInLongGaps,
    long valuesFilled,
    long segments) implements Serializable {

  public static final CleaningStats ZERO = new CleaningStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public CleaningStats plus(CleaningStats o) {
    return new CleaningStats(rowsIn + o.rowsIn, exactDuplicatesDropped + o.exactDuplicatesDropped,
        duplicateTimestampsMerged + o.duplicateTimestampsMerged,
        rowsMergedIntoSteps + o.rowsMergedIntoSteps, stepsObserved + o.stepsObserved,
        gapsInterpolated + o.gapsInterpolated, stepsInterpolated + o.stepsInterpolated,
        longGaps + o.longGaps, stepsInLongGaps + o.stepsInLongGaps,
        valuesFilled + o.valuesFilled, segments + o.segments);
  }
}
