package io.tracecast.evaluation;

import io.tracecast.evaluation.config.EvaluationSettings;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation run.
 *
 * @param reportDir directory of the report on any Hadoop filesystem (replaced atomically)
 * @param jobs jobs to evaluate, or empty for every job of the dataset
 */
public record EvaluateRequest(String dataset, String registry, String reportDir,
    List<String> jobs, EvaluationSettings settings) {
  public EvaluateRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(reportDir, "reportDir");
    Objects.requireNonNull(settings, "settings");
    jobs = List.copyOf(jobs);
  }
}
