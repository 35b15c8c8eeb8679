package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import java.util.List;
import java.util.Map;

/**
 * Everything the report writers render. Built by the evaluation job; immutable.
 *
 * @param target the target column scored (e.g. {@code cpu}) and its unit, for axis labels
 * @param jobScores one row per (job, model), plus {@link ModelScore#ALL_JOBS} rows pooled over
 *     every job
 * @param champions by job
 * @param traces per job: the champion's and the best baseline's forecasts for plots
 * @param curves job -> model label -> training history from the registry metadata
 * @param reactive by job (and {@link ModelScore#ALL_JOBS}): what the reactive threshold
 *     autoscaler, the provisioning baseline, bought on the same test points
 * @param notes sentences for the report header (settings, skipped jobs, ...)
 * @param patterns the dataset's usage patterns when training clustered it, else null
 * @param adjacency by job: a graph model's mean learned adjacency (at most one per job)
 * @param startupDelaySteps the horizon step a provisioning decision must cover (the start-up
 *     delay in steps, at most the horizon); 0 when not reported
 * @param fans by job: the champion's forecasts at one horizon step with its conformal
 *     intervals at every configured level, for the fan chart (see {@link ForecastTrace})
 * @param autoscaling the autoscaling policies side by side, or null when the registry holds
 *     none
 */
public record EvaluationReport(String dataset, String registry, String createdAt,
    String target, String unit, List<ModelScore> jobScores, List<SeriesScore> seriesScores,
    Map<String, Champion> champions, Map<String, List<ForecastTrace>> traces,
    Map<String, Map<String, TrainingHistory>> curves, Map<String, ProvisioningOutcome> reactive,
    List<String> notes, UsagePatterns patterns, Map<String, GraphAdjacency> adjacency,
    int startupDelaySteps, Map<String, ForecastTrace> fans,
    io.tracecast.evaluation.autoscaling.PolicyComparison autoscaling) {

  /** A report without autoscaling policies. */
  public EvaluationReport(String dataset, String registry, String createdAt, String target,
      String unit, List<ModelScore> jobScores, List<SeriesScore> seriesScores,
      Map<String, Champion> champions, Map<String, List<ForecastTrace>> traces,
      Map<String, Map<String, TrainingHistory>> curves,
      Map<String, ProvisioningOutcome> reactive, List<String> notes, UsagePatterns patterns,
      Map<String, GraphAdjacency> adjacency, int startupDelaySteps,
      Map<String, ForecastTrace> fans) {
    this(dataset, registry, createdAt, target, unit, jobScores, seriesScores, champions, traces,
        curves, reactive, notes, patterns, adjacency, startupDelaySteps, fans, null);
  }

  /** A report without fan charts. */
  public EvaluationReport(String dataset, String registry, String createdAt, String target,
      String unit, List<ModelScore> jobScores, List<SeriesScore> seriesScores,
      Map<String, Champion> champions, Map<String, List<ForecastTrace>> traces,
      Map<String, Map<String, TrainingHistory>> curves,
      Map<String, ProvisioningOutcome> reactive, List<String> notes, UsagePatterns patterns,
      Map<String, GraphAdjacency> adjacency, int startupDelaySteps) {
    this(dataset, registry, createdAt, target, unit, jobScores, seriesScores, champions, traces,
        curves, reactive, notes, patterns, adjacency, startupDelaySteps, Map.of());
  }

  /** A report without a start-up delay. */
  public EvaluationReport(String dataset, String registry, String createdAt, String target,
      String unit, List<ModelScore> jobScores, List<SeriesScore> seriesScores,
      Map<String, Champion> champions, Map<String, List<ForecastTrace>> traces,
      Map<String, Map<String, TrainingHistory>> curves,
      Map<String, ProvisioningOutcome> reactive, List<String> notes, UsagePatterns patterns,
      Map<String, GraphAdjacency> adjacency) {
    this(dataset, registry, createdAt, target, unit, jobScores, seriesScores, champions, traces,
        curves, reactive, notes, patterns, adjacency, 0);
  }

  /** A report without graph models. */
  public EvaluationReport(String dataset, String registry, String createdAt, String target,
      String unit, List<ModelScore> jobScores, List<SeriesScore> seriesScores,
      Map<String, Champion> champions, Map<String, List<ForecastTrace>> traces,
      Map<String, Map<String, TrainingHistory>> curves,
      Map<String, ProvisioningOutcome> reactive, List<String> notes, UsagePatterns patterns) {
    this(dataset, registry, createdAt, target, unit, jobScores, seriesScores, champions, traces,
        curves, reactive, notes, patterns, Map.of(), 0);
  }

  /** A report of a dataset without usage patterns. */
  public EvaluationReport(String dataset, String registry, String createdAt, String target,
      String unit, List<ModelScore> jobScores, List<SeriesScore> seriesScores,
      Map<String, Champion> champions, Map<String, List<ForecastTrace>> traces,
      Map<String, Map<String, TrainingHistory>> curves,
      Map<String, ProvisioningOutcome> reactive, List<String> notes) {
    this(dataset, registry, createdAt, target, unit, jobScores, seriesScores, champions, traces,
        curves, reactive, notes, null, Map.of(), 0);
  }

  public EvaluationReport {
    jobScores = List.copyOf(jobScores);
    seriesScores = List.copyOf(seriesScores);
    champions = Map.copyOf(champions);
    traces = Map.copyOf(traces);
    curves = Map.copyOf(curves);
    reactive = Map.copyOf(reactive);
    notes = List.copyOf(notes);
    adjacency = adjacency == null ? Map.of() : Map.copyOf(adjacency);
    fans = fans == null ? Map.of() : Map.copyOf(fans);
    if (startupDelaySteps < 0) {
      throw new IllegalArgumentException("start-up delay steps >= 0, got " + startupDelaySteps);
    }
  }
}
