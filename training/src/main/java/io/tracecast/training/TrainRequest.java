package io.tracecast.training;

import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.fit.EpochListener;
import java.util.List;
import java.util.Objects;

/**
 * One training run.
 *
 * @param jobs jobs to train, or empty for every job of the dataset
 * @param listener called after each epoch (tests inject failures with it); NONE otherwise
 */
public record TrainRequest(String dataset, String registry, List<String> jobs,
    TrainSettings settings, EpochListener listener) {

  public TrainRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(settings, "settings");
    jobs = List.copyOf(jobs);
    listener = listener == null ? EpochListener.NONE : listener;
  }

  public TrainRequest(String dataset, String registry, List<String> jobs,
      TrainSettings settings) {
    this(dataset, registry, jobs, settings, EpochListener.NONE);
  }
}
