package io.tracecast.etl.dataset;

import java.util.Locale;

/**
 * What the model-space tensors returned by {@link DatasetReader#encodedWindows} are relative to.
 * The stored windows are the same in both modes (job-scaled); the mode only changes what the
 * reader derives from them, in {@link WindowScaling}.
 *
 * <ul>
 *   <li>{@code job}: the stored values, scaled with the job's train-split scalers. Manifests
 *       written before the mode existed mean this.
 *   <li>{@code window}: each metric channel minus its base metric's value at the window's last
 *       input step, divided by the series' typical step ({@code SeriesEntry.scales}); targets are
 *       the delta to the target's last value in the same unit. Calendar channels pass through.
 * </ul>
 */
public enum Normalisation {
  WINDOW, JOB;

  /** The manifest's and the configuration's spelling: {@code window}, {@code job}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A manifest without the field predates the modes: its tensors are job-scaled. */
  public static Normalisation fromLabel(String label) {
    if (label == null) {
      return JOB;
    }
    for (Normalisation n : values()) {
      if (n.label().equals(label)) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown normalisation '" + label + "', expected window or job");
  }
}
