package io.tracecast.training.plan;

import java.util.List;
import java.util.Map;

/**
 * What a run will train.
 *
 * @param tasks packed tasks by estimated cost, largest first (Spark schedules partitions in
 *     index order, so the longest networks start first), then data-parallel tasks
 * @param skipped job -> why it is not trained (e.g. no train windows)
 */
public record TrainingPlan(List<TrainingTask> tasks, Map<String, String> skipped) {
  public TrainingPlan {
    tasks = List.copyOf(tasks);
    skipped = Map.copyOf(skipped);
  }

  public List<TrainingTask> tasks(ExecutionMode mode) {
    return tasks.stream().filter(t -> t.mode() == mode).toList();
  }
}
