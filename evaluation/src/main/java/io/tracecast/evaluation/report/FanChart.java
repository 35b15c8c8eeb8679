package io.tracecast.evaluation.report;

import io.tracecast.evaluation.interval.QuantileNames;
import java.util.List;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * A job's fan chart: its champion's forecasts of one series over the first
 * {@link ForecastPlot#SPAN} of the test split, all made the same number of steps ahead (the
 * start-up delay's step, {@link EvaluationReport#startupDelaySteps}), with the actual in dark
 * grey, the point forecast (the p50 of a quantile model) as a line and one shaded band per
 * configured interval level between forecast + its calibrated lower and upper offsets.
 *
 * <p>One step over time rather than a fan of steps 1..H from one origin: a planner provisions
 * continually, each decision covering the time capacity takes to start, so the question the
 * chart answers is "how often and by how much did the band a decision would have used miss",
 * which needs many origins; a single origin's fan shows one lucky or unlucky forecast. Bands are
 * drawn widest first in one colour, more opaque the narrower, so the narrowest level reads as
 * the darkest core (p10..p90 inside p5..p95).
 */
final class FanChart {
  /** The widest band's opacity and the narrowest's: the core must stand out in the legend too. */
  private static final int OUTER_ALPHA = 45;
  private static final int INNER_ALPHA = 110;

  private FanChart() {}

  /** The chart's file under {@code plots/}: one per job, named here for every link to it. */
  static String fileName(String job) {
    return FileSlug.of("fan", job) + ".png";
  }

  /** Whether {@code trace} gives a chart: points to draw and at least one interval level. */
  static boolean drawable(ForecastTrace trace) {
    return trace != null && trace.timesMillis().length >= 2 && !trace.intervals().isEmpty();
  }

  static Plot of(EvaluationReport report, ForecastTrace trace) {
    long start = trace.timesMillis()[0];
    long end = start + ForecastPlot.SPAN.toMillis();
    long hours = Math.round((ForecastPlot.lastTime(List.of(trace), end) - start) / 3_600_000.0);
    String caption = trace.job() + " · " + trace.series() + ": champion " + trace.label()
        + "'s forecasts " + ahead(trace.step()) + " with its " + levels(trace)
        + " split-conformal intervals on the test split, first " + hours + " h";
    return new Plot(trace.job(), caption, fileName(trace.job()),
        PlotStyle.png(chart(report, trace)), PlotStyle.WIDTH, PlotStyle.HEIGHT);
  }

  /** The chart before rendering: its series are what the tests read back. */
  static XYChart chart(EvaluationReport report, ForecastTrace trace) {
    long end = trace.timesMillis()[0] + ForecastPlot.SPAN.toMillis();
    XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
        .title(PlotStyle.title(trace.job(), " · " + PlotStyle.shorten(trace.series(), 24)
            + ": " + trace.label() + ", " + ahead(trace.step())))
        .xAxisTitle("time (UTC)").yAxisTitle(PlotStyle.quantity(report)).build();
    PlotStyle.apply(chart.getStyler());
    chart.getStyler().setDatePattern("MMM d HH:mm").setMarkerSize(0);
    List<ForecastTrace.Interval> intervals = trace.intervals();
    for (int i = intervals.size() - 1; i >= 0; i--) {
      ForecastTrace.Interval b = intervals.get(i);
      int alpha = intervals.size() == 1 ? INNER_ALPHA
          : INNER_ALPHA - (INNER_ALPHA - OUTER_ALPHA) * i / (intervals.size() - 1);
      ForecastPlot.band(chart, bandName(b.level()), trace.timesMillis(), b.lower(), b.upper(),
          end, PlotStyle.translucent(PlotStyle.CHAMPION, alpha));
    }
    ForecastPlot.line(chart, "actual", trace.timesMillis(), trace.actual(), end,
        PlotStyle.ACTUAL, ForecastPlot.ACTUAL_LINE);
    ForecastPlot.line(chart, trace.label() + " forecast", trace.timesMillis(),
        trace.predicted(), end, PlotStyle.CHAMPION.darker(), ForecastPlot.FORECAST_LINE);
    return chart;
  }

  /** "80 % (p10–p90)": the legend entry of one level's band. */
  static String bandName(double level) {
    return ComparisonTable.percentLabel(level) + " % (" + QuantileNames.lower(level) + "–"
        + QuantileNames.upper(level) + ")";
  }

  private static String ahead(int step) {
    return step + (step == 1 ? " step ahead" : " steps ahead");
  }

  private static String levels(ForecastTrace trace) {
    return trace.intervals().stream()
        .map(b -> ComparisonTable.percentLabel(b.level()) + " %")
        .collect(Collectors.joining(" and "));
  }
}
