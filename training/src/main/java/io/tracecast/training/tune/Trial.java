package io.tracecast.training.tune;

import io.tracecast.training.registry.ModelMetadata.Epoch;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished trial of a search, as the trial log stores it.
 *
 * @param number 0-based order of proposal; trial 0 of a network search is the default spec
 * @param params the proposal (dimension name -> value, JSON-shaped)
 * @param objective validation MAE in original units of the trial's best epoch (lower is better);
 *     NaN when the trial failed
 * @param epochs per-epoch losses; validation MAE there is in scaled (model) units, which is what
 *     the pruner compares, as every trial of a search sees the same data
 * @param bestEpoch 1-based epoch whose network the objective scores (0 when failed)
 * @param seconds wall time of the trial
 * @param error why a failed trial failed; null otherwise
 */
public record Trial(int number, Map<String, Object> params, Status status, double objective,
    List<Epoch> epochs, int bestEpoch, double seconds, String error) implements Serializable {

  /** How a trial ended. */
  public enum Status {
    /** Trained until early stopping or the epoch limit. */
    COMPLETE,
    /** Stopped early by the pruner: its best epoch so far is scored. */
    PRUNED,
    FAILED
  }

  public Trial {
    params = new LinkedHashMap<>(params);
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    if (status == null || number < 0) {
      throw new IllegalArgumentException("trial needs a status and a number >= 0");
    }
  }

  public static Trial failed(int number, Map<String, Object> params, double seconds,
      Throwable e) {
    return new Trial(number, params, Status.FAILED, Double.NaN, List.of(), 0, seconds,
        e.toString());
  }

  /** Whether the objective is a value the search can learn from. */
  public boolean scored() {
    return status != Status.FAILED && Double.isFinite(objective);
  }

  /** Per-epoch validation MAE (scaled units), the curve the pruner compares. */
  public double[] curve() {
    return epochs.stream().mapToDouble(Epoch::validationMae).toArray();
  }
}
