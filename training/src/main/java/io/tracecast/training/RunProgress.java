package io.tracecast.training;

import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.gbt.GbtKind;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.pattern.PooledKind;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.plan.TaskCost;
import io.tracecast.training.plan.TrainingPlan;
import io.tracecast.training.plan.TrainingTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One progress line and ETA for a whole training run, logged on the driver as each unit of work
 * finishes. The units: every packed and data-parallel (job, kind), every per-job or global GBT
 * kind (all its jobs), and every pattern-pooled model (all its patterns). Each has an estimated
 * cost ({@link TaskCost}); the ETA is the elapsed time scaled by the cost still to do over the
 * cost done, which measures this run's throughput at whatever parallelism it got, concurrent
 * stages included. Thread-safe: packed tasks are reported from Spark's listener thread while the
 * driver's own thread reports the data-parallel jobs.
 */
final class RunProgress {
  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);

  private final Map<String, Double> pending;
  private final int total;
  private final double totalCost;
  private final long startNanos = System.nanoTime();
  private double doneCost;

  /** @param units unit id (as {@link TrainingTask#id()} or a model name) -> estimated cost */
  RunProgress(Map<String, Double> units) {
    this.pending = new LinkedHashMap<>(units);
    this.total = units.size();
    this.totalCost = units.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The units of a run: its network tasks, its GBT kinds and its pattern-pooled models. */
  static RunProgress of(TrainingPlan plan, JobSelection selection, TrainSettings settings) {
    Map<String, Double> units = new LinkedHashMap<>();
    plan.tasks().forEach(t -> units.put(t.id(), t.estimatedCost()));
    long windows = selection.trainWindows().values().stream().mapToLong(Long::longValue).sum();
    for (GbtKind k : settings.gbtModels()) {
      units.put(k.id(), TaskCost.GBT_WEIGHT * windows);
    }
    for (ModelKind k : settings.pooled().pooledNetworks()) {
      units.put(PooledKind.PATTERN.modelName(k), TaskCost.of(k, windows));
    }
    for (ModelKind k : settings.pooled().tunedNetworks()) {
      units.put(PooledKind.TUNED.modelName(k), TaskCost.of(k, windows));
    }
    return new RunProgress(units);
  }

  /** Marks a unit done and logs the run's progress; a unit already done is ignored. */
  synchronized void done(String unit) {
    Double cost = pending.remove(unit);
    if (cost == null) {
      return;
    }
    doneCost += cost;
    int finished = total - pending.size();
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    LOG.info(String.format(Locale.ROOT, "run progress: %d of %d units done (%s), %.0f%% of the "
            + "estimated cost in %.0f s, ETA %.0f s", finished, total, unit,
        100 * doneCost / Math.max(totalCost, 1e-9), elapsed, etaSeconds(elapsed)));
  }

  /**
   * Seconds left after {@code elapsedSeconds}, at the cost per second observed so far: elapsed
   * x cost to do / cost done; 0 when all is done, infinite before the first unit.
   */
  synchronized double etaSeconds(double elapsedSeconds) {
    if (pending.isEmpty()) {
      return 0;
    }
    return doneCost > 0 ? elapsedSeconds * (totalCost - doneCost) / doneCost
        : Double.POSITIVE_INFINITY;
  }

  /** Marks every unit done that {@code units} names. */
  void done(List<String> units) {
    units.forEach(this::done);
  }

  /** Units not reported done yet, in the order given. */
  synchronized List<String> pending() {
    return List.copyOf(pending.keySet());
  }
}
