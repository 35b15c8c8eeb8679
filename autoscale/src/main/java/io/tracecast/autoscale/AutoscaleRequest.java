package io.tracecast.autoscale;

import io.tracecast.autoscale.agent.AgentSettings;
import io.tracecast.autoscale.apex.ApexSettings;
import io.tracecast.evaluation.config.EvaluationSettings;
import java.util.List;
import java.util.Objects;

/**
 * One {@code tracecast autoscale} run.
 *
 * @param forecaster what each agent observes: an alias of its job ({@code champion}) or a
 *     model's latest version
 * @param jobs the jobs whose agents train and get the policy; empty for every job with a
 *     forecaster
 * @param evaluation the environment's settings (start-up delay, provisioning, autoscaling)
 */
public record AutoscaleRequest(String dataset, String registry, String forecaster,
    List<String> jobs, EvaluationSettings evaluation, AgentSettings agent, ApexSettings apex) {
  public AutoscaleRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(forecaster, "forecaster");
    jobs = List.copyOf(jobs);
  }
}
