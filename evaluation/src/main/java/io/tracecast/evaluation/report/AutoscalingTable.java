package io.tracecast.evaluation.report;

import static io.tracecast.evaluation.report.SignificantDigits.format;
import static io.tracecast.evaluation.report.SignificantDigits.percent;

import io.tracecast.evaluation.autoscaling.PolicyComparison;
import io.tracecast.evaluation.autoscaling.PolicyOutcome;
import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The autoscaling policies side by side: {@code autoscaling.csv}, a section of
 * {@code comparison.md}, and a plot per policy of its capacity against one series' usage.
 */
final class AutoscalingTable {
  static final String CSV = "autoscaling.csv";
  /** Policy names are identifiers ({@code autoscaler}, {@code reactive}, ...): safe file names. */
  static final String PLOT_PREFIX = "autoscaling-";
  private static final List<String> HEADER = List.of("job", "policy", "steps", "violations",
      "violation_rate", "violations_per_hour", "provisioned_over_used", "mean_provisioned",
      "energy_over_used");

  private AutoscalingTable() {}

  static String csv(PolicyComparison c) {
    StringBuilder out = new StringBuilder(String.join(",", HEADER)).append('\n');
    for (PolicyComparison.Row r : c.rows()) {
      PolicyOutcome o = r.outcome();
      out.append(CsvTable.quoted(r.job())).append(',').append(r.policy()).append(',')
          .append(o.steps()).append(',').append(o.violations()).append(',')
          .append(o.violationRate()).append(',').append(o.violationsPerHour()).append(',')
          .append(o.provisionedOverUsed()).append(',').append(o.meanProvisioned()).append(',')
          .append(o.energyOverUsed()).append('\n');
    }
    return out.toString();
  }

  /** The comparison.md section: the pooled rows, then one table per job. */
  static void markdown(StringBuilder out, PolicyComparison c) {
    if (c == null) {
      return;
    }
    out.append("## Autoscaling policies\n\n")
        .append("Test split, same series and steps for every policy; a decision at step t sets ")
        .append("the capacity of step t + start-up delay. `autoscaler` is the learned policy ")
        .append("(tracecast autoscale) as trained, `autoscaler_at_<policy>` its capacity x the ")
        .append("factor at which, on the validation split, it matched that policy ")
        .append("(the reactive autoscaler's capacity, the others' violation rates), ")
        .append("`reactive` the threshold autoscaler, `upper_quantile` ")
        .append("the forecaster's p90 x (1 + headroom), `moving_window` Autopilot's decayed ")
        .append("percentile of recent usage. Capacity against usage: `plots/")
        .append(PLOT_PREFIX).append("<policy>.png`.\n\n");
    List<String> jobs = new ArrayList<>();
    jobs.add(PolicyComparison.ALL_JOBS);
    c.rows().stream().map(PolicyComparison.Row::job).distinct()
        .filter(j -> !j.equals(PolicyComparison.ALL_JOBS)).forEach(jobs::add);
    for (String job : jobs) {
      out.append("### ").append(job.equals(PolicyComparison.ALL_JOBS) ? "All jobs (pooled)"
          : "Job `" + job + "`").append("\n\n")
          .append("| policy | SLA viol. % | violations / hour | provisioned / used | "
              + "energy / used |\n|:---|---:|---:|---:|---:|\n");
      for (PolicyComparison.Row r : c.rows()) {
        if (r.job().equals(job)) {
          PolicyOutcome o = r.outcome();
          out.append("| ").append(r.policy()).append(" | ").append(percent(o.violationRate()))
              .append(" | ").append(format(o.violationsPerHour())).append(" | ")
              .append(format(o.provisionedOverUsed())).append(" | ")
              .append(format(o.energyOverUsed())).append(" |\n");
        }
      }
      out.append('\n');
    }
  }

  /** One plot per policy: its capacity and the series' usage. */
  static List<Plot> plots(PolicyComparison c) {
    List<Plot> out = new ArrayList<>();
    if (c == null || c.plot() == null) {
      return out;
    }
    PolicyComparison.CapacityPlot p = c.plot();
    // the capacities start where the episode does (the first steps are the observed history)
    int from = 0;
    for (double[] cap : p.capacity().values()) {
      while (from < cap.length && !Double.isFinite(cap[from])) {
        from++;
      }
    }
    int n = p.usage().length - from;
    if (n < 2) {
      return out;
    }
    double[] hours = new double[n];
    for (int k = 0; k < n; k++) {
      hours[k] = (from + k) * p.stepSeconds() / 3600.0;
    }
    double[] usageValues = java.util.Arrays.copyOfRange(p.usage(), from, from + n);
    int i = 0;
    for (Map.Entry<String, double[]> e : p.capacity().entrySet()) {
      XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
          .title(PlotStyle.title(p.series(), ": " + e.getKey())).xAxisTitle("hours into test")
          .yAxisTitle("usage and capacity").build();
      PlotStyle.apply(chart.getStyler());
      XYSeries usage = chart.addSeries("usage", hours, usageValues);
      usage.setLineColor(PlotStyle.ACTUAL);
      usage.setMarker(SeriesMarkers.NONE);
      usage.setLineStyle(new BasicStroke(1.4f));
      double[] cap = java.util.Arrays.copyOfRange(e.getValue(), from, from + n);
      XYSeries capacity = chart.addSeries(e.getKey() + " capacity", hours, cap);
      capacity.setLineColor(PlotStyle.colour(i++));
      capacity.setMarker(SeriesMarkers.NONE);
      capacity.setLineStyle(new BasicStroke(1.8f));
      out.add(new Plot(p.job(), p.series() + ": capacity of " + e.getKey() + " against usage",
          PLOT_PREFIX + e.getKey() + ".png",
          PlotStyle.png(chart), PlotStyle.WIDTH, PlotStyle.HEIGHT));
    }
    return out;
  }

}
