package io.tracecast.evaluation.report;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The usage patterns' daily profiles: one line per pattern over the 24 hours of the day. */
final class PatternProfilePlot {
  static final String FILE = "patterns-daily-profile.png";

  private PatternProfilePlot() {}

  /** Null when the report has no patterns. */
  static Plot of(UsagePatterns patterns) {
    if (patterns == null || patterns.dailyProfiles().isEmpty()) {
      return null;
    }
    XYChart chart = new XYChartBuilder().width(PlotStyle.WIDTH).height(PlotStyle.HEIGHT)
        .title("usage patterns: daily profile").xAxisTitle("hour of day (UTC)")
        .yAxisTitle("usage, z-score within a series").build();
    PlotStyle.apply(chart.getStyler());
    chart.getStyler().setXAxisDecimalPattern("#");
    for (int p = 0; p < patterns.dailyProfiles().size(); p++) {
      List<Double> hours = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      List<Double> profile = patterns.dailyProfiles().get(p);
      for (int h = 0; h < profile.size(); h++) {
        if (profile.get(h) != null && Double.isFinite(profile.get(h))) {
          hours.add((double) h);
          values.add(profile.get(h));
        }
      }
      if (hours.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries("pattern " + (p + 1) + " (" + patterns.members()
          .getOrDefault(p, 0) + " series)", hours, values);
      s.setLineColor(PlotStyle.colour(p));
      s.setMarker(SeriesMarkers.NONE);
    }
    if (chart.getSeriesMap().isEmpty()) {
      return null;
    }
    return new Plot(ModelScore.ALL_JOBS, "Daily profile of each usage pattern", FILE,
        PlotStyle.png(chart), PlotStyle.WIDTH, PlotStyle.HEIGHT);
  }
}
