package io.tracecast.training.plan;

import io.tracecast.training.kind.ModelKind;

/**
 * One pooled kind of a run ({@code gbt_global}, {@code mlp_pattern}, {@code mlp_tuned}): all its
 * models, trained over the run's jobs' windows, counted as one unit of progress.
 *
 * @param trainWindows the train windows of every job of the run
 */
public record PooledWork(ModelKind kind, long trainWindows) {
  /** The kind's cost per window x every job's train windows. */
  public double estimatedCost() {
    return kind.architecture().costPerWindow() * trainWindows;
  }

  /** The kind's id: a pooled kind is one unit of progress. */
  public String id() {
    return kind.id();
  }
}
