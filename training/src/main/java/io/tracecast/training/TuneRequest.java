package io.tracecast.training;

import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.tune.TuneSettings;
import java.util.List;
import java.util.Objects;

/**
 * One hyperparameter search run: every (job, kind) of the request is searched.
 *
 * @param jobs jobs to tune, or empty for every job of the dataset
 * @param kinds the network kinds to tune
 * @param train the run's training settings: each kind's default spec (trial 0 and the base of
 *     every proposal), epochs, patience, seed, checkpoint directory
 */
public record TuneRequest(String dataset, String registry, List<String> jobs,
    List<NetworkArchitecture> kinds, TrainSettings train, TuneSettings tune) {
  public TuneRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(tune, "tune");
    jobs = List.copyOf(jobs);
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("tune needs at least one network kind");
    }
    // a trial is a window network's packed task; graph networks train on panels
    kinds.stream().filter(k -> !k.scopes().contains(Scope.SEARCHED)).findFirst().ifPresent(k -> {
      throw new IllegalArgumentException("tune does not search " + k.id() + " yet: its "
          + "own hyperparameters are set in tracecast.train (conf/application.conf)");
    });
  }
}
