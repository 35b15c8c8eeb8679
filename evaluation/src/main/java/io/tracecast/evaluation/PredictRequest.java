package io.tracecast.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * One batch prediction run.
 *
 * @param output Parquet directory to write (replaced atomically when {@code overwrite})
 * @param ref which version of each job to use: an alias ({@code champion}) of the job, or with
 *     {@code model} set, a version ({@code v3}) or {@code latest} of that model
 * @param model the model to use for every job, or null to follow the alias
 * @param split {@code latest} (the last window of every series) or a split label
 *     ({@code train}, {@code validation}, {@code test}) for all its windows
 * @param jobs jobs to predict, or empty for every job with a model
 */
public record PredictRequest(String dataset, String registry, String output, String ref,
    String model, String split, List<String> jobs, boolean overwrite, int batchSize) {
  public static final String LATEST = "latest";

  public PredictRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(split, "split");
    jobs = List.copyOf(jobs);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }
}
