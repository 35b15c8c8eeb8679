package io.tracecast.evaluation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Predicted against actual over time, one chart per (job, series) among the job's traces:
 * actual in dark grey, each trace's forecast in its own colour, and where a trace has quantile
 * bounds a translucent band of the same colour between them.
 *
 * <p>Trace times must ascend. Only the first {@link #SPAN} from the earliest point is drawn: beyond two days of
 * 5-minute points the lines merge into a smear and nobody can judge a forecast.
 */
final class ForecastPlot {

  static final Duration SPAN = Duration.ofHours(48);

  private static final int BAND_ALPHA = 55;
  static final BasicStroke ACTUAL_LINE = new BasicStroke(1.8f);
  static final BasicStroke FORECAST_LINE = new BasicStroke(1.4f);

  private ForecastPlot() {}

  static List<Plot> of(EvaluationReport report, String job, List<ForecastTrace> traces) {
    Map<String, List<ForecastTrace>> bySeries = new LinkedHashMap<>();
    for (ForecastTrace t : traces) {
      if (t.timesMillis().length > 0) {
        bySeries.computeIfAbsent(t.series(), s -> new ArrayList<>()).add(t);
      }
    }
    List<Plot> plots = new ArrayList<>();
    bySeries.forEach((series, group) -> plots.add(plot(report, job, series, group)));
    return plots;
  }

  private static Plot plot(EvaluationReport report, String job, String series,
      List<ForecastTrace> group) {
    long start = group.stream().mapToLong(t -> t.timesMillis()[0]).min().orElseThrow();
    long end = start + SPAN.toMillis();
    XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
        .title(PlotStyle.title(job, " · " + PlotStyle.shorten(series, 24)
            + ": forecast vs actual (test)"))
        .xAxisTitle("time (UTC)").yAxisTitle(PlotStyle.quantity(report)).build();
    PlotStyle.apply(chart.getStyler());
    chart.getStyler().setDatePattern("MMM d HH:mm").setMarkerSize(0);
    Set<String> names = new LinkedHashSet<>();
    // bands first so the lines are drawn over them
    for (int i = 0; i < group.size(); i++) {
      ForecastTrace t = group.get(i);
      if (t.lower() != null && t.upper() != null) {
        band(chart, unique(names, bandName(report, t)), t.timesMillis(), t.lower(), t.upper(),
            end, PlotStyle.translucent(PlotStyle.colour(i), BAND_ALPHA));
      }
    }
    // actual values are the same in every trace of a series; the longest covers the most
    ForecastTrace reference = group.stream()
        .max(Comparator.comparingInt(t -> t.timesMillis().length)).orElseThrow();
    line(chart, unique(names, "actual"), reference.timesMillis(), reference.actual(), end,
        PlotStyle.ACTUAL, ACTUAL_LINE);
    for (int i = 0; i < group.size(); i++) {
      ForecastTrace t = group.get(i);
      line(chart, unique(names, t.label()), t.timesMillis(), t.predicted(), end,
          PlotStyle.colour(i), FORECAST_LINE);
    }
    // 576 five-minute points span 47 h 55 min: call that 48 h
    long hours = Math.round((lastTime(group, end) - start) / 3_600_000.0);
    return new Plot(job, job + " · " + series + ": forecast vs actual on the test split, first "
        + hours + " h", FileSlug.of("forecast", job + '\u0000' + series) + ".png",
        PlotStyle.png(chart), PlotStyle.WIDTH, PlotStyle.HEIGHT);
  }

  /** "bilstm_attention v1 p10–p90" when the scores say which levels the bounds are. */
  private static String bandName(EvaluationReport report, ForecastTrace t) {
    return report.jobScores().stream()
        .filter(s -> s.job().equals(t.job()) && s.label().equals(t.label())
            && s.quantiles() != null)
        .findFirst()
        .map(s -> {
          double[] levels = s.quantiles().levels();
          return t.label() + " p" + ComparisonTable.percentLabel(levels[0]) + "–p"
              + ComparisonTable.percentLabel(levels[levels.length - 1]);
        })
        .orElse(t.label() + " interval");
  }

  /**
   * A closed polygon in {@code fill}: along the upper bound forwards, back along the lower
   * bound, over the points before {@code end} where both bounds are finite.
   */
  static void band(XYChart chart, String name, long[] times, double[] lower,
      double[] upper, long end, Color fill) {
    List<Date> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < times.length && times[i] < end; i++) {
      if (Double.isFinite(lower[i]) && Double.isFinite(upper[i])) {
        kept.add(i);
      }
    }
    if (kept.size() < 2) {
      return;
    }
    for (int i : kept) {
      x.add(new Date(times[i]));
      y.add(upper[i]);
    }
    for (int k = kept.size() - 1; k >= 0; k--) {
      x.add(new Date(times[kept.get(k)]));
      y.add(lower[kept.get(k)]);
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
    s.setFillColor(fill);
    s.setLineColor(fill);
    s.setMarker(SeriesMarkers.NONE);
  }

  /** NaN values become gaps (XChart skips null y). */
  static void line(XYChart chart, String name, long[] times, double[] values, long end,
      Color c, BasicStroke stroke) {
    List<Date> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < times.length && times[i] < end; i++) {
      x.add(new Date(times[i]));
      y.add(Double.isFinite(values[i]) ? values[i] : null);
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setLineColor(c);
    s.setLineStyle(stroke);
    s.setMarker(SeriesMarkers.NONE);
  }

  static long lastTime(List<ForecastTrace> group, long end) {
    long last = Long.MIN_VALUE;
    for (ForecastTrace t : group) {
      for (long time : t.timesMillis()) {
        if (time < end) {
          last = Math.max(last, time);
        }
      }
    }
    return last;
  }

  /** XChart rejects two series with one name; traces of one model twice get "#2". */
  private static String unique(Set<String> names, String name) {
    String candidate = name;
    for (int n = 2; !names.add(candidate); n++) {
      candidate = name + " #" + n;
    }
    return candidate;
  }
}
