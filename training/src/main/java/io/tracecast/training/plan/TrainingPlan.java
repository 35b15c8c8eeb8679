package io.tracecast.training.plan;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a run will train.
 *
 * @param tasks the per-job models: packed tasks by estimated cost, largest first (Spark
 *     schedules partitions in index order, so the longest networks start first), then
 *     data-parallel tasks
 * @param pooled the pooled kinds, in request order
 * @param skipped job (or {@code job (kind)}) -> why it is not trained
 */
public record TrainingPlan(List<TrainingTask> tasks, List<PooledWork> pooled,
    Map<String, String> skipped) {
  public TrainingPlan {
    tasks = List.copyOf(tasks);
    pooled = List.copyOf(pooled);
    skipped = Map.copyOf(skipped);
  }

  public List<TrainingTask> tasks(ExecutionMode mode) {
    return tasks.stream().filter(t -> t.mode() == mode).toList();
  }

  /** The tasks of kinds that {@code which} accepts, in plan order. */
  public List<TrainingTask> tasks(Predicate<TrainingTask> which) {
    return tasks.stream().filter(which).toList();
  }
}
