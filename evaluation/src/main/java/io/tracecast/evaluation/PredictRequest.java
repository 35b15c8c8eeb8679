package io.tracecast.evaluation;

import io.tracecast.etl.dataset.Split;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch prediction run.
 *
 * @param output Parquet directory to write (replaced atomically when {@code overwrite})
 * @param ref which version of each job to use: an alias ({@code champion}) of the job, or with
 *     {@code model} set, a version ({@code v3}) or {@code latest} of that model
 * @param model the model to use for every job, or null to follow the alias
 * @param windows the windows to forecast from: per series the one ending at its last point
 *     (the steps after the data), its last complete window, or all windows of a split
 * @param jobs jobs to predict, or empty for every job with a model
 * @param inputs fresh raw trace files of the dataset's source (files, directories, globs) to
 *     forecast the future of instead of the dataset's series; empty for none
 * @param source the format the user says {@code inputs} are in, checked against the dataset's;
 *     null to take the dataset's
 */
public record PredictRequest(String dataset, String registry, String output, String ref,
    String model, Windows windows, List<String> jobs, boolean overwrite, int batchSize,
    List<String> inputs, String source) {

  /** Forecasts from the dataset alone. */
  public PredictRequest(String dataset, String registry, String output, String ref,
      String model, Windows windows, List<String> jobs, boolean overwrite, int batchSize) {
    this(dataset, registry, output, ref, model, windows, jobs, overwrite, batchSize, List.of(),
        null);
  }

  /**
   * Which windows a run forecasts from: {@link #FUTURE} (the default) forecasts the steps after
   * the data; the others score windows whose targets are in the data (their actual is filled in).
   */
  public enum Windows {
    /**
     * Per series, the window ending at its last observed point: origin = that point, targets the
     * {@code horizon} steps beyond the data, no actual. What an autoscaler or planner acts on.
     */
    FUTURE("future", null),
    /** The last complete window of every series (its targets are the data's last steps). */
    LATEST("last-window", null),
    TRAIN("train", Split.TRAIN),
    VALIDATION("validation", Split.VALIDATION),
    TEST("test", Split.TEST);

    private final String label;
    private final Split split;

    Windows(String label, Split split) {
      this.label = label;
      this.split = split;
    }

    /** As the command line spells it: {@code future}, {@code last-window} or a split. */
    public String label() {
      return label;
    }

    /** All windows of this split, or empty for {@link #FUTURE} and {@link #LATEST}. */
    public Optional<Split> split() {
      return Optional.ofNullable(split);
    }

    /**
     * From a label as the command line spells it; {@code latest}, the old name of
     * {@code last-window}, still reads as it.
     */
    public static Windows parse(String label) {
      String l = label.trim().toLowerCase(java.util.Locale.ROOT);
      if (l.equals("latest")) {
        return LATEST;
      }
      for (Windows w : values()) {
        if (w.label.equals(l)) {
          return w;
        }
      }
      throw new IllegalArgumentException("'" + label + "': expected future, last-window (or "
          + "latest), train, validation or test");
    }
  }

  public PredictRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(windows, "windows");
    jobs = List.copyOf(jobs);
    inputs = List.copyOf(inputs);
    if (!inputs.isEmpty() && windows != Windows.FUTURE) {
      throw new IllegalArgumentException("fresh inputs " + inputs + " are forecast from their "
          + "last step (future), not scored at " + windows.label());
    }
    if (inputs.isEmpty() && source != null) {
      throw new IllegalArgumentException("source " + source + " names the format of fresh "
          + "inputs, and none are given");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }
}
