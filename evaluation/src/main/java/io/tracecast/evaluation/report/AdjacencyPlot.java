package io.tracecast.evaluation.report;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A graph model's mean learned adjacency as a heat map: row = the node that listens, column =
 * the node it listens to. Axis labels are node positions (1-based, the model's tensor order);
 * the caption lists which series each position is, since trace ids are too long for ticks.
 */
final class AdjacencyPlot {
  private static final int SIDE = 560;
  private static final int MAX_CAPTION_NODES = 16;

  private AdjacencyPlot() {}

  static Plot of(GraphAdjacency a) {
    int n = a.nodes().size();
    List<Integer> axis = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      axis.add(i);
    }
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // XChart draws y upwards: put node 1 on the top row, as in a matrix
        cells.add(new Number[] {j, n - 1 - i, a.weights()[i][j]});
      }
    }
    List<Integer> rows = new ArrayList<>(axis);
    java.util.Collections.reverse(rows);
    HeatMapChart chart = new HeatMapChartBuilder().width(SIDE).height(SIDE)
        .title(PlotStyle.title(a.job(), ": " + a.model() + " mean adjacency"))
        .xAxisTitle("attends to (node)").yAxisTitle("node").build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    double max = 0;
    for (double[] row : a.weights()) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    // a round top of the scale: the legend prints its ends as they are
    chart.getStyler().setMin(0).setMax(Math.max(0.01, Math.ceil(max * 100) / 100));
    chart.getStyler().setRangeColors(new java.awt.Color[] {java.awt.Color.WHITE,
        new java.awt.Color(0x56B4E9), new java.awt.Color(0x0072B2), new java.awt.Color(0x002A4A)});
    chart.getStyler().setShowValue(n <= 8);
    chart.getStyler().setValueFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN,
        10));
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    chart.getStyler().setLocale(java.util.Locale.ROOT);
    chart.addSeries("weight", axis, rows, cells);
    StringBuilder caption = new StringBuilder("Mean learned adjacency of ").append(a.model())
        .append(" v").append(a.version()).append(" over the test panels (rows sum to 1). Nodes: ");
    for (int i = 0; i < Math.min(n, MAX_CAPTION_NODES); i++) {
      caption.append(i == 0 ? "" : ", ").append(i + 1).append(" = ").append(a.nodes().get(i));
    }
    if (n > MAX_CAPTION_NODES) {
      caption.append(", ... (").append(n).append(" nodes)");
    }
    return new Plot(a.job(), caption.toString(), fileName(a.job(), a.model()),
        PlotStyle.png(chart), SIDE, SIDE);
  }

  /** The PNG's name under {@code plots/}. */
  static String fileName(String job, String model) {
    return FileSlug.of("adjacency", job + "/" + model) + ".png";
  }
}
