package io.tracecast.training;

import java.util.List;
import java.util.Map;

/**
 * What a run did, one outcome per planned (job, model kind).
 *
 * @param skipped jobs not trained at all, with the reason (e.g. no train windows)
 */
public record TrainResult(List<JobOutcome> outcomes, Map<String, String> skipped,
    double wallSeconds) {

  public TrainResult {
    outcomes = List.copyOf(outcomes);
    skipped = Map.copyOf(skipped);
  }

  public List<JobOutcome> failed() {
    return outcomes.stream().filter(o -> !o.succeeded()).toList();
  }

  public List<JobOutcome> published() {
    return outcomes.stream().filter(JobOutcome::succeeded).toList();
  }
}
