package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training and validation loss per epoch for each neural model of a job, from the registry
 * metadata: one colour per model, training light, validation dashed, a dot on the epoch whose
 * weights were kept. The y axis turns logarithmic when the losses span more than
 * {@link #LOG_SCALE_RATIO}x, since the first epochs would otherwise flatten the rest.
 */
final class LossCurvePlot {

  static final double LOG_SCALE_RATIO = 30;

  /**
   * Training curves are a lighter shade of the model's colour: over a few hundred epochs the
   * dashes of the validation curve get too short to tell the two apart by dashing alone.
   */
  private static final int TRAIN_ALPHA = 120;
  private static final BasicStroke TRAIN = new BasicStroke(2f);
  private static final BasicStroke VALIDATION = new BasicStroke(2f, BasicStroke.CAP_BUTT,
      BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f);

  private LossCurvePlot() {}

  /** Null when the job has no curve with at least one epoch. */
  static Plot of(String job, Map<String, TrainingHistory> curves) {
    Map<String, TrainingHistory> sorted = new TreeMap<>(curves);
    sorted.values().removeIf(h -> h.epochs().isEmpty());
    if (sorted.isEmpty()) {
      return null;
    }
    XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
        .title(PlotStyle.title(job, ": training curves")).xAxisTitle("epoch")
        .yAxisTitle("loss (training objective, scaled)").build();
    PlotStyle.apply(chart.getStyler());
    chart.getStyler().setXAxisDecimalPattern("#").setMarkerSize(7);
    int i = 0;
    for (Map.Entry<String, TrainingHistory> e : sorted.entrySet()) {
      Color c = PlotStyle.colour(i++);
      TrainingHistory h = e.getValue();
      curve(chart, e.getKey() + " train", h, Epoch::trainLoss,
          PlotStyle.translucent(c, TRAIN_ALPHA), TRAIN);
      if (curve(chart, e.getKey() + " validation", h, Epoch::validationLoss, c, VALIDATION)) {
        best(chart, e.getKey() + " kept", h, c);
      }
    }
    DoubleSummaryStatistics losses = sorted.values().stream().flatMap(h -> h.epochs().stream())
        .flatMapToDouble(e -> DoubleStream.of(e.trainLoss(), e.validationLoss()))
        .filter(Double::isFinite).summaryStatistics();
    chart.getStyler().setYAxisLogarithmic(losses.getCount() > 0 && losses.getMin() > 0
        && losses.getMax() / losses.getMin() > LOG_SCALE_RATIO);
    return new Plot(job, job + ": training (light) and validation (dashed) loss per epoch; "
        + "dots mark the epoch kept", FileSlug.of("loss", job) + ".png", PlotStyle.png(chart),
        PlotStyle.WIDTH, PlotStyle.HEIGHT);
  }

  /** Adds the curve unless it is all NaN (no validation data); says whether it did. */
  private static boolean curve(XYChart chart, String name, TrainingHistory h,
      ToDoubleFunction<Epoch> loss, Color c, BasicStroke stroke) {
    List<Integer> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    boolean any = false;
    for (Epoch e : h.epochs()) {
      double v = loss.applyAsDouble(e);
      x.add(e.epoch());
      y.add(Double.isFinite(v) ? v : null);
      any |= Double.isFinite(v);
    }
    if (!any) {
      return false;
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setLineColor(c);
    s.setLineStyle(stroke);
    s.setMarker(SeriesMarkers.NONE);
    return true;
  }

  private static void best(XYChart chart, String name, TrainingHistory h, Color c) {
    Epoch kept = h.epochs().stream().filter(e -> e.epoch() == h.bestEpoch()).findFirst()
        .orElse(null);
    if (kept == null || !Double.isFinite(kept.validationLoss())) {
      return;
    }
    XYSeries s = chart.addSeries(name, List.of(kept.epoch()), List.of(kept.validationLoss()));
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setMarkerColor(c);
    s.setShowInLegend(false);
  }
}
