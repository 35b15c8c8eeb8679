package io.tracecast.evaluation.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every plot of a report, by job in table order: forecast vs actual (one per series traced),
 * the champion's fan chart (its conformal intervals at the start-up delay's step), training
 * curves, test MAE by model, then a graph model's mean adjacency. The pooled group
 * gets only the MAE chart. Traces and
 * curves of a job without scores are not drawn: the report has no section to show them in.
 */
final class Charts {

  private Charts() {}

  static Map<String, List<Plot>> render(EvaluationReport report, ComparisonTable table) {
    Map<String, List<Plot>> plots = new LinkedHashMap<>();
    for (JobRanking job : table.jobs()) {
      plots.put(job.job(), forJob(report, job));
    }
    return plots;
  }

  private static List<Plot> forJob(EvaluationReport report, JobRanking job) {
    if (job.pooled()) {
      List<Plot> plots = new ArrayList<>();
      Plot mae = MaeBarPlot.of(report, job);
      if (mae != null) {
        plots.add(mae);
      }
      Plot patterns = PatternProfilePlot.of(report.patterns());
      if (patterns != null) {
        plots.add(patterns);
      }
      return plots;
    }
    List<Plot> plots = new ArrayList<>(
        ForecastPlot.of(report, job.job(), report.traces().getOrDefault(job.job(), List.of())));
    ForecastTrace fan = report.fans().get(job.job());
    if (FanChart.drawable(fan)) {
      plots.add(FanChart.of(report, fan));
    }
    Plot loss = LossCurvePlot.of(job.job(), report.curves().getOrDefault(job.job(), Map.of()));
    if (loss != null) {
      plots.add(loss);
    }
    Plot mae = MaeBarPlot.of(report, job);
    if (mae != null) {
      plots.add(mae);
    }
    GraphAdjacency adjacency = report.adjacency().get(job.job());
    if (adjacency != null) {
      plots.add(AdjacencyPlot.of(adjacency));
    }
    return plots;
  }
}
