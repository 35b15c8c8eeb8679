package io.tracecast.etl.dataset;

import java.util.Locale;

/** The chronological splits of every series, in time order. */
public enum Split {
  TRAIN, VALIDATION, TEST;

  /**
   * The split of a forecast beyond the data ({@link DatasetReader#latestWindows}): a window
   * belongs to the split of its targets, and targets after the data continue the last split.
   * One label for every series, so that a graph's panel at an origin holds every node whose data
   * ends there, whatever split its own last point is in.
   */
  public static final Split BEYOND_THE_DATA = TEST;

  /** The name used in partition directories and the manifest: {@code train}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Split fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
