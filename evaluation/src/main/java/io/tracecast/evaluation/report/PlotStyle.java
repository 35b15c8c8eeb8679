package io.tracecast.evaluation.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.Locale;
import java.util.TimeZone;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * The look every report chart shares: white background, light grid, legend under the plot (it
 * never hides data), colour-blind-safe colours (Okabe–Ito), UTC and Locale.ROOT for labels.
 */
final class PlotStyle {

  static final int WIDTH = 900;
  static final int HEIGHT = 400;

  /** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
  private static final Color[] PALETTE = {
      new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
      new Color(0x56B4E9), new Color(0xE69F00), new Color(0x999999)};

  static final Color ACTUAL = new Color(0x222222);
  static final Color CHAMPION = new Color(0xE69F00);
  static final Color NEURAL = new Color(0x0072B2);
  static final Color BASELINE = new Color(0xAAAAAA);

  private static final Color GRID = new Color(0xE3E3E3);
  private static final String FONT = Font.SANS_SERIF;
  /** What fits 900 px in the 15 pt bold title font, wide letters included. */
  private static final int MAX_TITLE_CHARS = 72;

  private PlotStyle() {}

  static void apply(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(GRID);
    s.setPlotGridLinesColor(GRID);
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(FONT, Font.BOLD, 15));
    s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 13));
    s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 11));
    s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
    s.setLegendPosition(LegendPosition.OutsideS);
    s.setLegendLayout(LegendLayout.Horizontal);
    s.setLegendBorderColor(Color.WHITE);
    s.setLocale(Locale.ROOT);
    s.setTimezone(TimeZone.getTimeZone("UTC"));
    s.setAntiAlias(true);
    s.setChartPadding(12);
  }

  static Color colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  /** Chart titles stay on one line however long the job id is. */
  static String shorten(String s, int max) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }

  /** "{job}{what}" on one line: a long job id is cut so that {@code what} stays readable. */
  static String title(String job, String what) {
    return shorten(job, Math.max(12, MAX_TITLE_CHARS - what.length())) + what;
  }

  /** "cpu (fraction of capacity)": the target and its unit, for axis titles. */
  static String quantity(EvaluationReport report) {
    return report.unit().isBlank() ? report.target()
        : report.target() + " (" + report.unit() + ")";
  }

  static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding to memory failed", e);
    }
  }
}
