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
 * @param windows the windows to forecast from: the latest of every series, or all of a split
 * @param jobs jobs to predict, or empty for every job with a model
 */
public record PredictRequest(String dataset, String registry, String output, String ref,
    String model, Windows windows, List<String> jobs, boolean overwrite, int batchSize) {
  /** Which windows a run forecasts from. */
  public enum Windows {
    /** The last window of every series: the forecast a user acts on. */
    LATEST(null),
    TRAIN(Split.TRAIN),
    VALIDATION(Split.VALIDATION),
    TEST(Split.TEST);

    private final Split split;

    Windows(Split split) {
      this.split = split;
    }

    /** All windows of this split, or empty for {@link #LATEST}. */
    public Optional<Split> split() {
      return Optional.ofNullable(split);
    }

    /** From {@code latest} or a split label, as the command line spells them. */
    public static Windows parse(String label) {
      for (Windows w : values()) {
        if (w.name().equalsIgnoreCase(label.trim())) {
          return w;
        }
      }
      throw new IllegalArgumentException("--split " + label
          + ": expected latest, train, validation or test");
    }
  }

  public PredictRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(windows, "windows");
    jobs = List.copyOf(jobs);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }
}
