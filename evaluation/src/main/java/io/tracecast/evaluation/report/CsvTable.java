package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code comparison.csv} and {@code series.csv}: RFC 4180, comma separated, header first, CRLF
 * free (LF line ends). Numbers are written with {@link Double#toString} so they parse back to
 * the same double; NaN, an infinity (a ratio to a zero persistence MAE) or a metric that does
 * not apply is an empty field.
 */
final class CsvTable {

  private CsvTable() {}

  static String comparison(ComparisonTable table) {
    List<String> header = new ArrayList<>(List.of("job", "model", "family", "version", "rank",
        "windows", "mae", "rmse", "mse", "mape", "mape_points", "smape", "r2",
        "mae_vs_persistence", "validation_mae", "champion"));
    for (double level : table.quantileLevels()) {
      header.add("pinball_p" + ComparisonTable.percentLabel(level));
    }
    header.addAll(List.of("coverage", "interval_width", "sla_violation_rate", "efficiency",
        "latency_us_per_window", "windows_per_s"));
    addIntervalHeader(header, table.intervalLevels());
    header.addAll(List.of("folds", "fold_mae_vs_persistence_mean",
        "fold_mae_vs_persistence_ci95", "within_noise_of_best", "seeds",
        "seed_mae_vs_persistence_mean", "seed_mae_vs_persistence_ci95"));
    StringBuilder out = new StringBuilder();
    line(out, header);
    for (JobRanking job : table.jobs()) {
      for (RankedScore row : job.rows()) {
        List<String> fields = comparisonRow(row, table.quantileLevels());
        addIntervals(fields, row.score().intervals(), table.intervalLevels());
        fields.add(Integer.toString(row.folds().folds()));
        fields.add(number(row.folds().mean()));
        fields.add(number(row.folds().halfWidth()));
        fields.add(row.folds().folds() > 1 ? Boolean.toString(row.withinNoise()) : "");
        // seeds: how many versions differing only by the seed the row's spread is over (0: none)
        fields.add(Integer.toString(row.seeds().folds()));
        fields.add(number(row.seeds().mean()));
        fields.add(number(row.seeds().halfWidth()));
        line(out, fields);
      }
    }
    return out.toString();
  }

  /**
   * {@code steps.csv}: every row of the comparison again per horizon step, with MAE vs
   * persistence at that step ({@link StepCurves}), the conformal intervals' quality there, and
   * what provisioning the narrowest interval's upper bound at that step buys ({@code upper_*}:
   * a decision taken that many steps ahead, through a start-up delay).
   */
  static String steps(ComparisonTable table) {
    List<String> header = new ArrayList<>(List.of("job", "model", "family", "version", "step",
        "windows", "mae", "rmse", "mse", "mape", "mape_points", "smape", "r2",
        "mae_vs_persistence"));
    addIntervalHeader(header, table.intervalLevels());
    header.addAll(List.of("upper_sla_violation_rate", "upper_efficiency"));
    StringBuilder out = new StringBuilder();
    line(out, header);
    for (JobRanking job : table.jobs()) {
      double[] persistence = StepCurves.persistenceMae(job);
      for (RankedScore row : job.rows()) {
        ModelScore s = row.score();
        double[] ratio = StepCurves.maeVsPersistence(s, persistence);
        for (StepScore step : s.steps()) {
          List<String> fields = new ArrayList<>(List.of(s.job(), s.model(),
              s.family().name().toLowerCase(Locale.ROOT), Integer.toString(s.version()),
              Integer.toString(step.step())));
          addPoint(fields, step.point());
          fields.add(number(ratio[step.step() - 1]));
          addIntervals(fields, step.intervals(), table.intervalLevels());
          ProvisioningOutcome upper = step.upperProvisioning();
          fields.add(upper == null ? "" : number(upper.violationRate()));
          fields.add(upper == null ? "" : number(upper.efficiency()));
          line(out, fields);
        }
      }
    }
    return out.toString();
  }

  /** pi80_coverage, pi80_width, pi80_interval_score, ... per level */
  private static void addIntervalHeader(List<String> header, List<Double> levels) {
    for (double level : levels) {
      String pi = IntervalMetrics.prefix(level);
      header.addAll(List.of(pi + "_coverage", pi + "_width", pi + "_interval_score"));
    }
  }

  private static void addIntervals(List<String> fields, List<IntervalMetrics> intervals,
      List<Double> levels) {
    for (double level : levels) {
      IntervalMetrics i = IntervalMetrics.at(intervals, level);
      fields.add(i == null ? "" : number(i.coverage()));
      fields.add(i == null ? "" : number(i.meanWidth()));
      fields.add(i == null ? "" : number(i.intervalScore()));
    }
  }

  static String series(List<SeriesScore> scores) {
    StringBuilder out = new StringBuilder();
    line(out, List.of("job", "series", "model", "version", "windows", "mae", "rmse", "mse",
        "mape", "mape_points", "smape", "r2"));
    List<SeriesScore> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparing(SeriesScore::job).thenComparing(SeriesScore::series)
        .thenComparing(SeriesScore::model).thenComparingInt(SeriesScore::version));
    for (SeriesScore s : sorted) {
      List<String> fields = new ArrayList<>(List.of(s.job(), s.series(), s.model(),
          Integer.toString(s.version())));
      addPoint(fields, s.point());
      line(out, fields);
    }
    return out.toString();
  }

  private static List<String> comparisonRow(RankedScore row, List<Double> levels) {
    ModelScore s = row.score();
    List<String> fields = new ArrayList<>(List.of(s.job(), s.model(),
        s.family().name().toLowerCase(Locale.ROOT), Integer.toString(s.version()),
        Integer.toString(row.rank())));
    addPoint(fields, s.point());
    fields.add(number(row.maeVsPersistence()));
    fields.add(number(s.validationMae()));
    fields.add(Boolean.toString(row.champion()));
    QuantileMetrics q = s.quantiles();
    for (double level : levels) {
      fields.add(q == null ? "" : number(pinballAt(q, level)));
    }
    fields.add(q == null ? "" : number(q.coverage()));
    fields.add(q == null ? "" : number(q.meanWidth()));
    ProvisioningOutcome p = s.provisioning();
    fields.add(p == null ? "" : number(p.violationRate()));
    fields.add(p == null ? "" : number(p.efficiency()));
    fields.add(number(s.latencyMicrosPerWindow()));
    fields.add(number(s.windowsPerSecond()));
    return fields;
  }

  /** windows, mae, rmse, mse, mape, mape_points, smape, r2 */
  private static void addPoint(List<String> fields, PointMetrics m) {
    fields.addAll(List.of(Long.toString(m.count()), number(m.mae()), number(m.rmse()),
        number(m.mse()), number(m.mape()), Long.toString(m.mapeCount()), number(m.smape()),
        number(m.r2())));
  }

  private static double pinballAt(QuantileMetrics q, double level) {
    for (int i = 0; i < q.levels().length; i++) {
      if (q.levels()[i] == level) {
        return q.pinball()[i];
      }
    }
    return Double.NaN;
  }

  static String number(double value) {
    return Double.isFinite(value) ? Double.toString(value) : "";
  }

  static void line(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quoted(fields.get(i)));
    }
    out.append('\n');
  }

  /** Quotes a field only when it needs it (job names come from traces and may hold anything). */
  static String quoted(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
