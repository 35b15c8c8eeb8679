package io.tracecast.evaluation.report;

import static io.tracecast.evaluation.report.SampleReport.baseline;
import static io.tracecast.evaluation.report.SampleReport.neural;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.registry.ModelFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTableTest {
  /** Student's t, 97.5 % quantile with 2 degrees of freedom (tables: 4.303). */
  private static final double T_2 = 4.302652729911275;

  private static final double[] PERSISTENCE = {0.10, 0.20, 0.40};
  private static final double[] MLP = {0.06, 0.15, 0.24};
  private static final double[] NAIVE = {0.07, 0.14, 0.36};

  @TempDir
  Path tmp;

  /** Fold k: the three models' test MAE; champion mlp v1 in folds 0 and 2, the naive in 1. */
  private static EvaluationReport fold(int k) {
    Champion champion = k == 1
        ? new Champion("j", "seasonal_naive", ModelFamily.BASELINE, 0, 2, "validation_mae", 0.1,
            0.9, "lowest validation MAE")
        : new Champion("j", "mlp", ModelFamily.NETWORK, 1, 1, "validation_mae", 0.1, 0.9,
            "lowest validation MAE");
    return new EvaluationReport("d" + k, "r" + k, "t", "cpu", "", List.of(
        baseline("j", "persistence", PERSISTENCE[k], 0.5),
        baseline("j", "seasonal_naive", NAIVE[k], 0.4),
        neural("j", "mlp", 1, MLP[k], 0.3, 0.1, null)), List.of(), Map.of("j", champion),
        Map.of(), Map.of(), Map.of(), List.of());
  }

  /** The normal run: mlp v5 serves, scored over 3 folds without refitting. */
  private static EvaluationReport normal() {
    List<ModelScore> scores = List.of(
        withFolds(baseline("j", "persistence", 0.2, 0.5), List.of(0.1, 0.2, 0.5)),
        withFolds(neural("j", "mlp", 5, 0.15, 0.3, 0.1, null), List.of(0.08, 0.14, 0.3)));
    return new EvaluationReport("d", "r", "t", "cpu", "", scores, List.of(),
        Map.of("j", new Champion("j", "mlp", ModelFamily.NETWORK, 5, 5, "validation_mae", 0.1,
            0.9, "lowest validation MAE")), Map.of(), Map.of(), Map.of(), List.of());
  }

  private static ModelScore withFolds(ModelScore s, List<Double> foldMae) {
    return new ModelScore(s.job(), s.model(), s.family(), s.version(), s.point(), s.quantiles(),
        s.provisioning(), s.validationMae(), s.latencyMicrosPerWindow(), s.windowsPerSecond(),
        s.intervals(), s.steps(), foldMae);
  }

  private static double[] ratios(double[] mae) {
    double[] r = new double[mae.length];
    for (int k = 0; k < mae.length; k++) {
      r[k] = mae[k] / PERSISTENCE[k];
    }
    return r;
  }

  private static double mean(double[] x) {
    return (x[0] + x[1] + x[2]) / 3;
  }

  /** t(0.975, 2) x sample sd / sqrt(3). */
  private static double halfWidth(double[] x) {
    double m = mean(x);
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    return T_2 * Math.sqrt(ss / 2) / Math.sqrt(3);
  }

  private static double[] minus(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  private static BacktestTable.Row row(BacktestTable t, String model) {
    return t.jobs().get(0).rows().stream().filter(r -> r.model().equals(model)).findFirst()
        .orElseThrow();
  }

  @Test
  void givesEachModelsRatioPerFoldWithItsMeanAndTInterval() {
    BacktestTable t = BacktestTable.of(List.of(fold(0), fold(1), fold(2)), normal());
    assertEquals(3, t.folds());
    assertEquals(1, t.jobs().size(), "one job: no pooled group repeating it");
    double[] mlp = ratios(MLP);
    double[] naive = ratios(NAIVE);
    BacktestTable.Row m = row(t, "mlp");
    for (int k = 0; k < 3; k++) {
      assertEquals(mlp[k], m.refit().get(k), 1e-12);
    }
    assertEquals(mean(mlp), m.refitSpread().mean(), 1e-12);
    assertEquals(halfWidth(mlp), m.refitSpread().halfWidth(), 1e-9);
    assertEquals(List.of(0, 2), m.championFolds());
    BacktestTable.Row n = row(t, "seasonal_naive");
    assertEquals(halfWidth(naive), n.refitSpread().halfWidth(), 1e-9);

    // mlp has the lowest mean; the naive's paired difference to it is within noise, persistence's
    // is not (computed here from the figures, not by FoldSpread)
    double[] naiveMinusMlp = minus(naive, mlp);
    assertTrue(Math.abs(mean(naiveMinusMlp)) <= halfWidth(naiveMinusMlp), "fixture");
    assertTrue(n.refitWithinNoise());
    double[] ones = {1, 1, 1};
    assertTrue(Math.abs(mean(minus(ones, mlp))) > halfWidth(minus(ones, mlp)), "fixture");
    assertFalse(row(t, "persistence").refitWithinNoise());
    assertFalse(m.refitWithinNoise(), "the best row is not marked");

    BacktestTable.Row picked = row(t, BacktestTable.PICKED);
    assertEquals(List.of(mlp[0], naive[1], mlp[2]), picked.refit());
    assertEquals(BacktestTable.PICKED, t.jobs().get(0).rows().get(0).model(), "first row");
    assertEquals("mlp", t.jobs().get(0).rows().get(1).model(), "then by mean");
  }

  @Test
  void putsTheNormalRunsFoldsWithoutRefittingBeside() {
    BacktestTable t = BacktestTable.of(List.of(fold(0), fold(1), fold(2)), normal());
    BacktestTable.Row m = row(t, "mlp");
    double[] noRefit = {0.08 / 0.1, 0.14 / 0.2, 0.3 / 0.5};
    for (int k = 0; k < 3; k++) {
      assertEquals(noRefit[k], m.noRefit().get(k), 1e-12);
    }
    assertEquals(mean(noRefit), m.noRefitSpread().mean(), 1e-12);
    assertEquals(halfWidth(noRefit), m.noRefitSpread().halfWidth(), 1e-9);
    assertTrue(m.servingChampion(), "mlp v5 serves; its refit rows are v1, keyed by name");
    assertTrue(row(t, "seasonal_naive").noRefit().isEmpty(), "not scored in the normal run");
  }

  @Test
  void writesMarkdownAndCsvWithTheSameFigures() throws Exception {
    BacktestTable t = BacktestTable.of(List.of(fold(0), fold(1), fold(2)), normal());
    t.write(tmp.toString(), new Configuration());
    List<List<String>> rows = Csv.parse(Files.readString(tmp.resolve("backtest.csv")));
    List<Map<String, String>> records = new ArrayList<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < r.size(); i++) {
        m.put(rows.get(0).get(i), r.get(i));
      }
      records.add(m);
    }
    assertEquals(4, records.size(), "picked, mlp, naive, persistence");
    Map<String, String> mlp = records.stream().filter(r -> r.get("model").equals("mlp"))
        .findFirst().orElseThrow();
    assertEquals(MLP[1] / PERSISTENCE[1], Double.parseDouble(mlp.get("refit_fold_1")), 1e-12);
    assertEquals(halfWidth(ratios(MLP)), Double.parseDouble(mlp.get("refit_half_width")), 1e-9);
    assertEquals("2", mlp.get("champion_folds"));
    assertEquals("true", mlp.get("serving_champion"));
    String md = Files.readString(tmp.resolve("backtest.md"));
    assertTrue(md.contains("| model | fold 0 | fold 1 | fold 2 | refit: mean ± 95 % |"), md);
    // mlp: 0.6 (champion), 0.75, 0.6 (champion)
    assertTrue(md.contains("| mlp ★ | 0.6 † | 0.75 | 0.6 † |"), md);
    assertTrue(md.contains("| seasonal\\_naive | 0.7 | 0.7 † | 0.9 |"), md);
  }

  @Test
  void summaryLineGivesThePickedChampionsAndTheBestModel() {
    BacktestTable t = BacktestTable.of(List.of(fold(0), fold(1), fold(2)), normal());
    String line = PipelineIndex.backtestLines(
        List.of(new PipelineIndex.Entry("src", "src", normal())), Map.of("src", t));
    double[] picked = {MLP[0] / PERSISTENCE[0], NAIVE[1] / PERSISTENCE[1], MLP[2] / PERSISTENCE[2]};
    assertTrue(line.startsWith("Backtest with refitting of src (3 folds, test MAE / persistence's,"
        + " `src/backtest.md`): champion picked per fold "
        + SignificantDigits.format(mean(picked)) + " ± "
        + SignificantDigits.format(halfWidth(picked)) + "; best model mlp "
        + SignificantDigits.format(mean(ratios(MLP))) + " ± "), line);
    List<PipelineIndex.Entry> entries = List.of(new PipelineIndex.Entry("src", "src", normal()));
    String html = PipelineIndex.html(PipelineIndex.rows(entries), entries, java.util.Set.of("src"),
        "now");
    assertTrue(html.contains("<a href=\"src/backtest.md\">backtest with refitting</a>"), html);
    assertFalse(PipelineIndex.html(PipelineIndex.rows(entries), entries, "now")
        .contains("backtest"), "no link without a backtest");
    assertTrue(line.contains("(no refit: "
        + SignificantDigits.format(mean(new double[] {0.08 / 0.1, 0.14 / 0.2, 0.3 / 0.5})) + " ± "),
        line);
  }
}
