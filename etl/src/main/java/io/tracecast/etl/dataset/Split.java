package io.tracecast.etl.dataset;

import java.util.Locale;

/** The chronological splits of every series, in time order. */
public enum Split {
  TRAIN, VALIDATION, TEST;

  /** The name used in partition directories and the manifest: {@code train}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Split fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
