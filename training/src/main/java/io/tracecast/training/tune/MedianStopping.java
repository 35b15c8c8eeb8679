package io.tracecast.training.tune;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The median stopping rule (Golovin et al., "Google Vizier", KDD 2017; Optuna's MedianPruner):
 * a trial is stopped after epoch e when its best validation MAE so far is worse than the median
 * of the reference trials' best values over their first e epochs. Only after
 * {@code warmupEpochs} epochs (early curves say little) and with at least
 * {@code minReferenceTrials} references that reached epoch e. References are the trials
 * finished when the trial started (complete and pruned ones alike), so the rule is fixed for the
 * trial's whole run and can travel with its Spark task.
 */
public record MedianStopping(int warmupEpochs, int minReferenceTrials) implements Serializable {
  public MedianStopping {
    if (warmupEpochs < 1 || minReferenceTrials < 1) {
      throw new IllegalArgumentException("warm-up epochs and reference trials must be >= 1, got "
          + warmupEpochs + ", " + minReferenceTrials);
    }
  }

  /**
   * @param curve the trial's validation MAE per epoch so far (scaled units, all trials alike)
   * @param references the curves of the reference trials
   */
  public boolean shouldStop(double[] curve, List<double[]> references) {
    int e = curve.length;
    if (e <= warmupEpochs) {
      return false;
    }
    double[] bests = references.stream().filter(r -> r.length >= e)
        .mapToDouble(r -> bestOf(r, e)).filter(Double::isFinite).sorted().toArray();
    if (bests.length < minReferenceTrials) {
      return false;
    }
    double median = bests.length % 2 == 1 ? bests[bests.length / 2]
        : (bests[bests.length / 2 - 1] + bests[bests.length / 2]) / 2;
    double mine = bestOf(curve, e);
    return !(mine <= median); // NaN (diverged) stops too
  }

  private static double bestOf(double[] curve, int epochs) {
    return Arrays.stream(curve, 0, epochs).filter(Double::isFinite).min()
        .orElse(Double.NaN);
  }
}
