package io.tracecast.training.run;

import io.tracecast.training.plan.TrainingPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One progress line and ETA for a whole training run, logged on the driver as each unit of work
 * finishes. The units: every per-job (job, kind), packed or data-parallel, and every pooled kind
 * (all its jobs or patterns). Each has an estimated cost (the kind's cost per window x its train
 * windows); the ETA is the elapsed time scaled by the cost still to do over the
 * cost done, which measures this run's throughput at whatever parallelism it got, concurrent
 * stages included. Thread-safe: packed tasks are reported from Spark's listener thread while the
 * driver's own thread reports the data-parallel jobs.
 */
public final class RunProgress {
  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);

  private final Map<String, Double> pending;
  private final int total;
  private final double totalCost;
  private final long startNanos = System.nanoTime();
  private double doneCost;

  /** @param units unit id (as {@link io.tracecast.training.plan.TrainingTask#id()} or a model name) -> estimated cost */
  public RunProgress(Map<String, Double> units) {
    this.pending = new LinkedHashMap<>(units);
    this.total = units.size();
    this.totalCost = units.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The units of a run: its per-job models and its pooled kinds, as planned. */
  public static RunProgress of(TrainingPlan plan) {
    Map<String, Double> units = new LinkedHashMap<>();
    plan.tasks().forEach(t -> units.put(t.id(), t.estimatedCost()));
    plan.pooled().forEach(p -> units.put(p.id(), p.estimatedCost()));
    return new RunProgress(units);
  }

  /** Marks a unit done and logs the run's progress; a unit already done is ignored. */
  public synchronized void done(String unit) {
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
  public synchronized double etaSeconds(double elapsedSeconds) {
    if (pending.isEmpty()) {
      return 0;
    }
    return doneCost > 0 ? elapsedSeconds * (totalCost - doneCost) / doneCost
        : Double.POSITIVE_INFINITY;
  }

  /** Marks every unit done that {@code units} names. */
  public void done(List<String> units) {
    units.forEach(this::done);
  }

  /** Units not reported done yet, in the order given. */
  public synchronized List<String> pending() {
    return List.copyOf(pending.keySet());
  }
}
