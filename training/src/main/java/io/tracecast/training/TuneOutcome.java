package io.tracecast.training;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.tune.Trial;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The search of one (job, kind): every trial, the winner, what was published.
 *
 * @param trials by number; trial 0 is the default spec
 * @param winnerSpec the winning trial's spec (null when no trial was scored)
 * @param version the published {@code <kind>_hpo} version, 0 when nothing was published
 * @param error why the search failed or was refused; null otherwise
 * @param maxEpochs the epoch limit of a trial
 */
public record TuneOutcome(String job, NetworkArchitecture kind, List<Trial> trials, ModelSpec winnerSpec,
    int version, String error, double wallSeconds, int maxEpochs) {
  public TuneOutcome {
    trials = List.copyOf(trials);
  }

  static TuneOutcome failed(String job, NetworkArchitecture kind, String error) {
    return new TuneOutcome(job, kind, List.of(), null, 0, error, 0, 0);
  }

  /** The scored trial with the lowest validation MAE (original units); ties: the earlier. */
  public Optional<Trial> winner() {
    return trials.stream().filter(Trial::scored)
        .min(Comparator.comparingDouble(Trial::objective).thenComparingInt(Trial::number));
  }

  /** Trial 0, the default spec, when it was scored. */
  public Optional<Trial> defaultTrial() {
    return trials.stream().filter(t -> t.number() == 0 && t.scored()).findFirst();
  }

  public long count(Trial.Status status) {
    return trials.stream().filter(t -> t.status() == status).count();
  }

  public int epochsRun() {
    return trials.stream().mapToInt(t -> t.epochs().size()).sum();
  }

  /**
   * Epochs the same trials would have run without pruning, estimated: a pruned trial is counted
   * at the mean epoch count of the complete trials (where early stopping ended them), or at
   * least its own; failed trials as they ran.
   */
  public double epochsWithoutPruning() {
    double full = trials.stream().filter(t -> t.status() == Trial.Status.COMPLETE)
        .mapToInt(t -> t.epochs().size()).average().orElse(maxEpochs);
    return trials.stream().mapToDouble(t -> t.status() == Trial.Status.PRUNED
        ? Math.max(full, t.epochs().size()) : t.epochs().size()).sum();
  }

  /** Share of the no-pruning epoch budget that pruning saved, in [0, 1]. */
  public double prunedShare() {
    double without = epochsWithoutPruning();
    return without > 0 ? 1 - epochsRun() / without : 0;
  }
}
