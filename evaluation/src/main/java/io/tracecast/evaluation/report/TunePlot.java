package io.tracecast.evaluation.report;

import io.tracecast.training.tune.Trial;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNGs of a hyperparameter search ({@code tracecast tune}): the validation MAE (original
 * units) of each trial in proposal order, complete and pruned trials apart, with the best so far
 * as a step line; and one scatter per numeric hyperparameter of MAE against its value.
 */
public final class TunePlot {
  private static final Color PRUNED = new Color(0xAAAAAA);

  private TunePlot() {}

  /** Validation MAE per trial, with the running best. */
  public static byte[] byTrial(String title, List<Trial> trials) {
    XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
        .title(PlotStyle.shorten(title, 72)).xAxisTitle("trial")
        .yAxisTitle("validation MAE (original units)").build();
    PlotStyle.apply(chart.getStyler());
    chart.getStyler().setXAxisDecimalPattern("#");
    scatter(chart, "complete", trials, Trial.Status.COMPLETE, PlotStyle.NEURAL,
        t -> (double) t.number());
    scatter(chart, "pruned", trials, Trial.Status.PRUNED, PRUNED, t -> (double) t.number());
    List<Integer> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (Trial t : trials) {
      if (t.scored()) {
        best = Math.min(best, t.objective());
        x.add(t.number());
        y.add(best);
      }
    }
    if (!x.isEmpty()) {
      XYSeries s = chart.addSeries("best so far", x, y);
      s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Step);
      s.setLineColor(PlotStyle.CHAMPION);
      s.setMarker(SeriesMarkers.NONE);
    }
    return PlotStyle.png(chart);
  }

  /** Validation MAE against each numeric hyperparameter: name -> PNG. */
  public static Map<String, byte[]> byParameter(String title, List<Trial> trials) {
    Set<String> names = new LinkedHashSet<>();
    trials.forEach(t -> t.params().forEach((k, v) -> {
      if (v instanceof Number) {
        names.add(k);
      }
    }));
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    for (String name : names) {
      XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
          .title(PlotStyle.shorten(title + ": " + name, 72)).xAxisTitle(name)
          .yAxisTitle("validation MAE (original units)").build();
      PlotStyle.apply(chart.getStyler());
      boolean log = name.equals("learning-rate");
      chart.getStyler().setXAxisLogarithmic(log);
      java.util.function.Function<Trial, Double> x = t -> t.params().get(name) instanceof Number n
          ? n.doubleValue() : null;
      scatter(chart, "complete", trials, Trial.Status.COMPLETE, PlotStyle.NEURAL, x);
      scatter(chart, "pruned", trials, Trial.Status.PRUNED, PRUNED, x);
      if (!chart.getSeriesMap().isEmpty()) {
        out.put(name, PlotStyle.png(chart));
      }
    }
    return out;
  }

  private static void scatter(XYChart chart, String name, List<Trial> trials,
      Trial.Status status, Color c, java.util.function.Function<Trial, Double> xOf) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Trial t : trials) {
      Double v = xOf.apply(t);
      if (t.status() == status && t.scored() && v != null) {
        x.add(v);
        y.add(t.objective());
      }
    }
    if (x.isEmpty()) {
      return;
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setMarkerColor(c);
  }
}
