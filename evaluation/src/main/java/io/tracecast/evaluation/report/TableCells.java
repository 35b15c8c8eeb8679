package io.tracecast.evaluation.report;

import static io.tracecast.evaluation.report.SignificantDigits.format;
import static io.tracecast.evaluation.report.SignificantDigits.percent;

import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import java.util.List;

/**
 * The columns of the human tables (Markdown and HTML share them so they never disagree), as
 * unescaped text; each format escapes and decorates.
 */
final class TableCells {

  static final List<String> HEADER = List.of("rank", "model", "MAE", "RMSE", "MAPE %",
      "sMAPE %", "R²", "MAE vs persistence", "SLA viol. %", "efficiency");

  /**
   * {@link #HEADER}, then the coverage and mean width of the narrowest conformal interval when
   * the table has intervals (every level is in {@code comparison.csv}).
   */
  static List<String> header(ComparisonTable table) {
    List<String> out = new java.util.ArrayList<>(HEADER);
    if (table.folds() > 1) {
      out.add("vs persistence, " + table.folds() + " folds");
    }
    if (table.seeds() > 1) {
      out.add("vs persistence over seeds");
    }
    if (!table.intervalLevels().isEmpty()) {
      String level = ComparisonTable.percentLabel(table.intervalLevels().get(0));
      out.add("PI" + level + " coverage %");
      out.add("PI" + level + " width");
    }
    return List.copyOf(out);
  }

  /** Marks a row whose backtest differs from the rank-1 row's by less than the noise. */
  static final String NOISE_MARK = " ≈";

  /** {@code mean ± half-width} of a metric over folds, {@link #NOISE_MARK} when within noise. */
  static String spread(io.tracecast.evaluation.metric.FoldSpread f, boolean withinNoise) {
    return f.folds() == 0 ? SignificantDigits.MISSING : format(f.mean()) + " ± "
        + (Double.isNaN(f.halfWidth()) ? SignificantDigits.MISSING : format(f.halfWidth()))
        + (withinNoise ? NOISE_MARK : "");
  }

  /** {@link #of(RankedScore)} with the columns {@link #header} adds. */
  static List<String> of(RankedScore row, ComparisonTable table) {
    List<String> out = new java.util.ArrayList<>(of(row));
    if (table.folds() > 1) {
      out.add(spread(row.folds(), row.withinNoise()));
    }
    if (table.seeds() > 1) {
      io.tracecast.evaluation.metric.FoldSpread f = row.seeds();
      out.add(f.folds() < 2 ? "" : format(f.mean()) + " ± " + format(f.halfWidth()) + " ("
          + f.folds() + " seeds)");
    }
    if (!table.intervalLevels().isEmpty()) {
      io.tracecast.evaluation.metric.IntervalMetrics i =
          row.score().interval(table.intervalLevels().get(0));
      out.add(i == null ? SignificantDigits.MISSING : percent(i.coverage()));
      out.add(i == null ? SignificantDigits.MISSING : format(i.meanWidth()));
    }
    return List.copyOf(out);
  }

  /** Marks the champion's row; explained under each table. */
  static final String CHAMPION_MARK = " ★";

  private TableCells() {}

  static List<String> of(RankedScore row) {
    ModelScore s = row.score();
    PointMetrics m = s.point();
    ProvisioningOutcome p = s.provisioning();
    return List.of(Integer.toString(row.rank()),
        s.label() + (row.champion() ? CHAMPION_MARK : ""), format(m.mae()), format(m.rmse()),
        format(m.mape()), format(m.smape()), format(m.r2()), format(row.maeVsPersistence()),
        p == null ? SignificantDigits.MISSING : percent(p.violationRate()),
        p == null ? SignificantDigits.MISSING : format(p.efficiency()));
  }

  /** The sentence under a job heading: which model is champion and why. */
  /**
   * What provisioning from forecasts bought against the reactive autoscaler, or null when the
   * job has no reactive outcome: the row compared is the champion's, else the best by test MAE.
   */
  static String provisioningLine(JobRanking job) {
    if (job.reactive() == null || job.rows().isEmpty()) {
      return null;
    }
    RankedScore best = job.championRow() != null ? job.championRow() : job.rows().get(0);
    ProvisioningOutcome f = best.score().provisioning();
    ProvisioningOutcome r = job.reactive();
    return String.format(java.util.Locale.ROOT, "Provisioning on the test split: %s's forecast "
        + "+ headroom misses demand on %.1f%% of steps at %.2fx the capacity used; the reactive "
        + "threshold autoscaler misses %.1f%% at %.2fx.", best.score().label(),
        100 * f.violationRate(), f.efficiency(), 100 * r.violationRate(), r.efficiency());
  }

  /**
   * What provisioning through the start-up delay buys: the champion's (else the best row's)
   * upper bound of its narrowest interval, {@code delaySteps} steps ahead. Null when the report
   * has no delay or the row no interval at that step.
   */
  static String startupLine(JobRanking job, int delaySteps, ComparisonTable table) {
    if (delaySteps < 1 || job.rows().isEmpty() || table.intervalLevels().isEmpty()) {
      return null;
    }
    RankedScore best = job.championRow() != null ? job.championRow() : job.rows().get(0);
    StepScore step = best.score().steps().stream().filter(x -> x.step() == delaySteps)
        .findFirst().orElse(null);
    if (step == null || step.upperProvisioning() == null) {
      return null;
    }
    double level = table.intervalLevels().get(0);
    ProvisioningOutcome u = step.upperProvisioning();
    return String.format(java.util.Locale.ROOT, "Through a start-up delay of %d step%s: "
        + "provisioning %s's %s (the top of its %s %% interval) %d step%s ahead misses demand on "
        + "%.1f%% of steps at %.2fx the capacity used.", delaySteps, delaySteps == 1 ? "" : "s",
        best.score().label(), io.tracecast.evaluation.interval.QuantileNames.upper(level),
        ComparisonTable.percentLabel(level), delaySteps, delaySteps == 1 ? "" : "s",
        100 * u.violationRate(), u.efficiency());
  }

  static String championLine(JobRanking job, UsagePatterns patterns) {
    if (job.pooled()) {
      return "Pooled over every job's test windows; champions are chosen per job.";
    }
    Champion c = job.champion();
    if (c == null) {
      return "No champion: no candidate had validation forecasts for this job.";
    }
    String label = c.label();
    RankedScore row = job.championRow();
    String testRank = row == null ? "not scored on the test split"
        : "test MAE rank " + row.rank() + " of " + job.rows().size();
    String reason = c.reason().endsWith(".") ? c.reason().substring(0, c.reason().length() - 1)
        : c.reason();
    String pattern = patterns == null ? "" : patterns.describe(c.job());
    return "Champion: " + label + " — " + reason + "; " + testRank + "."
        + (pattern.isEmpty() ? "" : " The job's " + pattern + ".");
  }
}
