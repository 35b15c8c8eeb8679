package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.SparkTestSession;
import io.tracecast.evaluation.scoring.ConformalBands;
import io.tracecast.evaluation.scoring.ForecastRow;
import io.tracecast.evaluation.scoring.ForecastTable;
import io.tracecast.evaluation.scoring.TraceCollector;
import io.tracecast.training.registry.ModelFamily;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The fan chart from forecasts to pixels: a horizon-3 "network" on one series whose residuals
 * are known, calibrated by evaluate's own {@link ConformalBands}, traced at step 2 by
 * {@link TraceCollector#fans} and drawn by {@link FanChart}. Every bound drawn is compared with
 * forecast + an order statistic of that step's validation residuals, picked here by the
 * split-conformal ranks written out by hand, so a band taken from another step, another level
 * or another key fails.
 */
class FanChartTest {
  private static final String JOB = "web/1";
  private static final int H = 3;
  private static final int STEP = 2;
  /** 39 residuals: the 80 % band takes ranks 4 and 36, the 90 % band ranks 2 and 38. */
  private static final int VALIDATION = 39;
  private static final int TEST = 700; // more than the 576 points of the chart's two days
  private static final long T0 = 1_700_000_000_000L;
  private static final long STEP_MILLIS = 300_000;

  @TempDir
  Path parent;

  private static double actual(int t) {
    return 0.4 + 0.2 * Math.sin(2 * Math.PI * t / 288.0);
  }

  /** A skewed error that grows with the step, different at each step and point. */
  private static double error(int h, int t) {
    double u = ((t * 37 + h * 11) % 41) / 40.0; // 0..1, every value once per 41 points
    return h * 0.01 * (u * u * 3 - 0.8);
  }

  private static List<ForecastRow> rows() {
    List<ForecastRow> rows = new ArrayList<>();
    for (int t = 0; t < VALIDATION + TEST; t++) {
      String split = t < VALIDATION ? "validation" : "test";
      for (int h = 1; h <= H; h++) {
        double p = actual(t) - error(h, t);
        rows.add(new ForecastRow(JOB, "vm-1", split, "cpu", h, T0 + t * STEP_MILLIS, "mlp", 1,
            ModelFamily.NETWORK.name(), actual(t), p, null, p));
      }
    }
    return rows;
  }

  /** Offsets [lo, hi] of the central interval at {@code level}, from ranks given by hand. */
  private static double[] offsets(int step, int loRank, int hiRank) {
    double[] r = new double[VALIDATION];
    for (int t = 0; t < VALIDATION; t++) {
      r[t] = error(step, t); // actual - forecast
    }
    Arrays.sort(r);
    return new double[] {r[loRank - 1], r[hiRank - 1]};
  }

  @Test
  void drawsEachLevelsBandAtForecastPlusTheStepsCalibratedOffsetsAndLinksTheChart()
      throws IOException {
    var forecasts = SparkTestSession.get().createDataset(rows(), ForecastTable.ENCODER);
    ConformalBands bands = ConformalBands.calibrate(forecasts, new double[] {0.8, 0.9});
    ModelScore champion = SampleReport.neural(JOB, "mlp", 1, 0.02, 0.03, 0.02, null);
    ForecastTrace fan = TraceCollector.fans(bands.attach(forecasts), "cpu",
        Map.of(JOB, champion),
        List.of(new SeriesScore(JOB, "vm-1", "mlp", 1, SampleReport.point(0.02, 0.03))),
        576, STEP, bands.levels()).get(JOB);

    assertEquals(STEP, fan.step());
    assertEquals(576, fan.timesMillis().length, "the last trace-steps test forecasts");
    double[][] expected = {offsets(STEP, 4, 36), offsets(STEP, 2, 38)};
    XYChart chart = FanChart.chart(SampleReport.build(), fan);
    int drawn = (int) Arrays.stream(fan.timesMillis())
        .filter(x -> x < fan.timesMillis()[0] + ForecastPlot.SPAN.toMillis()).count();
    for (int l = 0; l < 2; l++) {
      ForecastTrace.Interval band = fan.intervals().get(l);
      XYSeries polygon = chart.getSeriesMap().get(FanChart.bandName(band.level()));
      double[] y = polygon.getYData();
      assertEquals(2 * drawn, y.length, "upper bounds forwards, lower bounds back");
      for (int i = 0; i < fan.timesMillis().length; i++) {
        int t = (int) ((fan.timesMillis()[i] - T0) / STEP_MILLIS);
        double forecast = actual(t) - error(STEP, t);
        assertEquals(forecast, fan.predicted()[i], 1e-12);
        assertEquals(forecast + expected[l][0], band.lower()[i], 1e-12, "lower, point " + i);
        assertEquals(forecast + expected[l][1], band.upper()[i], 1e-12, "upper, point " + i);
        if (i < drawn) {
          assertEquals(forecast + expected[l][1], y[i], 1e-12, "drawn upper, point " + i);
          assertEquals(forecast + expected[l][0], y[2 * drawn - 1 - i], 1e-12,
              "drawn lower, point " + i);
        }
      }
    }
    assertEquals(List.of("90 % (p5–p95)", "80 % (p10–p90)", "actual", "mlp v1 forecast"),
        new ArrayList<>(chart.getSeriesMap().keySet()), "widest band first, lines on top");

    Path dir = writeWith(fan);
    String file = FanChart.fileName(JOB);
    BufferedImage png = ImageIO.read(dir.resolve("plots").resolve(file).toFile());
    assertEquals(PlotStyle.WIDTH, png.getWidth());
    assertTrue(Files.readString(dir.resolve("comparison.md")).contains("](plots/" + file + ")"),
        "comparison.md links the fan chart");
    assertTrue(Files.readString(dir.resolve("index.html")).contains("<code>plots/" + file),
        "index.html embeds it");
    ForecastTrace back = ReportReader.read(dir.toString(), new Configuration()).fans().get(JOB);
    assertEquals(fan.intervals().get(1).upper()[7], back.intervals().get(1).upper()[7], 0.0);
  }

  /** The sample report with {@code fan} as the job's fan chart, written to a directory. */
  private Path writeWith(ForecastTrace fan) throws IOException {
    EvaluationReport r = SampleReport.build(JOB, SampleReport.HOSTILE);
    EvaluationReport report = new EvaluationReport(r.dataset(), r.registry(), r.createdAt(),
        r.target(), r.unit(), r.jobScores(), r.seriesScores(), r.champions(), r.traces(),
        r.curves(), r.reactive(), r.notes(), r.patterns(), r.adjacency(), STEP,
        Map.of(JOB, fan));
    Path dir = parent.resolve("report");
    ReportWriter.write(report, dir.toString(), new Configuration());
    return dir;
  }
}
