package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelFamily;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;

/**
 * Test MAE by model for one job, bars in rank order (best left). Colour says the kind: the
 * champion orange, other neural models blue, baselines grey. XChart colours by series, so each
 * kind is a series holding only its own bars, drawn overlapped.
 */
final class MaeBarPlot {

  private static final int MAX_LABEL_CHARS = 28;
  /** Roughly the width of a tick label character at the report's 11 pt, in pixels. */
  private static final int LABEL_CHAR_PIXELS = 7;
  private static final int PLOT_PIXELS = PlotStyle.WIDTH - 100;

  private MaeBarPlot() {}

  /** Null when no row has a finite MAE. */
  static Plot of(EvaluationReport report, JobRanking job) {
    List<RankedScore> rows = job.rows().stream()
        .filter(r -> Double.isFinite(r.score().point().mae())).toList();
    if (rows.isEmpty()) {
      return null;
    }
    String name = job.pooled() ? "all jobs (pooled)" : job.job();
    CategoryChart chart = new CategoryChartBuilder().width(PlotStyle.WIDTH)
        .height(PlotStyle.HEIGHT).title(PlotStyle.title(name, ": test MAE by model"))
        .yAxisTitle("test MAE, " + PlotStyle.quantity(report)).build();
    CategoryStyler s = chart.getStyler();
    PlotStyle.apply(s);
    s.setOverlapped(true);
    s.setAvailableSpaceFill(0.6);
    s.setLabelsVisible(true);
    s.setLabelsPosition(0.9);
    s.setYAxisMin(0.0);
    String pattern = decimalPattern(rows);
    s.setDecimalPattern(pattern);
    s.setYAxisDecimalPattern(pattern);
    s.setXAxisTitleVisible(false);
    List<String> labels = new ArrayList<>();
    for (RankedScore r : rows) {
      labels.add(r.rank() + ". " + PlotStyle.shorten(r.score().label(), MAX_LABEL_CHARS));
    }
    int longest = labels.stream().mapToInt(String::length).max().orElse(0);
    if (longest * LABEL_CHAR_PIXELS > 0.9 * PLOT_PIXELS / labels.size()) {
      s.setXAxisLabelRotation(20); // they would overlap side by side
    }
    kind(chart, "champion", labels, rows, Kind.CHAMPION, PlotStyle.CHAMPION);
    kind(chart, "neural", labels, rows, Kind.NEURAL, PlotStyle.NEURAL);
    kind(chart, "baseline", labels, rows, Kind.BASELINE, PlotStyle.BASELINE);
    return new Plot(job.job(), name + ": test MAE by model, best first",
        FileSlug.of("mae", job.job()) + ".png", PlotStyle.png(chart), PlotStyle.WIDTH,
        PlotStyle.HEIGHT);
  }

  /** Three significant digits for the largest bar, with a leading zero: 0.0213, 12.5, 1340. */
  private static String decimalPattern(List<RankedScore> rows) {
    double max = rows.stream().mapToDouble(r -> r.score().point().mae()).max().orElse(1);
    int decimals = max > 0 ? Math.max(0, 2 - (int) Math.floor(Math.log10(max))) : 3;
    return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
  }

  private enum Kind {
    CHAMPION, NEURAL, BASELINE;

    static Kind of(RankedScore r) {
      return r.champion() ? CHAMPION
          : r.score().family() == ModelFamily.BASELINE ? BASELINE : NEURAL;
    }
  }

  /** One series per kind, null where a bar belongs to another kind; omitted when empty. */
  private static void kind(CategoryChart chart, String name, List<String> labels,
      List<RankedScore> rows, Kind kind, Color colour) {
    List<Double> values = new ArrayList<>();
    boolean any = false;
    for (RankedScore r : rows) {
      boolean mine = Kind.of(r) == kind;
      values.add(mine ? r.score().point().mae() : null);
      any |= mine;
    }
    if (any) {
      CategorySeries series = chart.addSeries(name, labels, values);
      series.setFillColor(colour);
    }
  }
}
