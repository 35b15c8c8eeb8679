package io.tracecast.evaluation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.SparkTestSession;
import io.tracecast.evaluation.metric.FoldSpread;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.registry.ModelFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One job: 10 validation and 40 test points, two models whose error at each point is known. The
 * test split cut into 4 folds must give four contiguous, disjoint blocks of 10 test points in
 * time order, every fold after every validation point, and each fold's MAE must be the mean
 * error over exactly its block.
 */
class BacktestTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long STEP = 300_000;
  private static final int VALIDATION = 10;
  private static final int TEST = 40;

  /** The error of {@code model} at test point i (0-based): a level that changes by fold. */
  private static double error(String model, int i) {
    return model.equals("persistence") ? 0.1 * (1 + i / 10) : 0.05 * (1 + (i / 10) % 2);
  }

  private static List<ForecastRow> rows() {
    List<ForecastRow> out = new ArrayList<>();
    for (String model : List.of("persistence", "gbt")) {
      ModelFamily family = model.equals("gbt") ? ModelFamily.GBT : ModelFamily.BASELINE;
      int version = model.equals("gbt") ? 1 : 0;
      for (int t = 0; t < VALIDATION + TEST; t++) {
        boolean test = t >= VALIDATION;
        double e = test ? error(model, t - VALIDATION) : 0.2;
        // shuffled series ids: folds cut by time, not by row order
        out.add(new ForecastRow("j", "s" + (t % 3), test ? "test" : "validation", "cpu", 1,
            T0 + t * STEP, model, version, family.name(), 1, 1 + e, null, 1 + e));
      }
    }
    return out;
  }

  @Test
  void foldsAreContiguousDisjointBlocksOfTheTestSplitScoredOnTheirOwn() {
    var ds = SparkTestSession.get().createDataset(rows(), ForecastTable.ENCODER);
    Folds folds = Folds.of(ds, 4);
    int[] perFold = new int[4];
    int last = 0;
    List<ForecastRow> sorted = new ArrayList<>(rows());
    sorted.sort(java.util.Comparator.comparing(ForecastRow::getTargetTime));
    for (ForecastRow r : sorted) {
      int f = folds.of(r);
      if (r.getSplit().equals("validation")) {
        assertEquals(0, f);
        continue;
      }
      assertTrue(f >= last, "folds follow time");
      last = f;
      perFold[f]++;
    }
    assertEquals(List.of(20, 20, 20, 20), java.util.Arrays.stream(perFold).boxed().toList(),
        "10 points x 2 models per fold");

    List<ModelScore> scores = ScoreBook.of(ds, Map.of(), new double[0], folds, 0.001)
        .jobScores(Map.of());
    ModelScore gbt = scores.stream().filter(s -> s.job().equals("j")
        && s.model().equals("gbt")).findFirst().orElseThrow();
    ModelScore persistence = scores.stream().filter(s -> s.job().equals("j")
        && s.model().equals("persistence")).findFirst().orElseThrow();
    for (int k = 0; k < 4; k++) {
      assertEquals(error("gbt", 10 * k), gbt.foldMae().get(k), 1e-12, "gbt fold " + k);
      assertEquals(error("persistence", 10 * k), persistence.foldMae().get(k), 1e-12);
    }
    // validation is not cut: the champion criterion is the same with or without a backtest
    assertEquals(4, gbt.foldMae().size());
  }

  /** t(0.975, 4) = 2.776445 (tables), and a paired difference that straddles zero. */
  @Test
  void foldSpreadIsTheStudentTIntervalOfTheMean() {
    FoldSpread s = FoldSpread.of(List.of(0.5, 0.7, 0.6, 0.4, 0.8));
    double sd = Math.sqrt((0.01 + 0.01 + 0 + 0.04 + 0.04) / 4);
    assertEquals(0.6, s.mean(), 1e-12);
    assertEquals(2.776445 * sd / Math.sqrt(5), s.halfWidth(), 1e-6);
    assertFalse(FoldSpread.difference(List.of(0.5, 0.7, 0.6), List.of(0.4, 0.6, 0.5))
        .includesZero(), "always 0.1 apart: a real difference");
    assertTrue(FoldSpread.difference(List.of(0.5, 0.7, 0.6), List.of(0.6, 0.5, 0.6))
        .includesZero(), "one ahead, one behind: noise");
    assertEquals(1, FoldSpread.of(List.of(0.3, Double.NaN)).folds());
    assertTrue(Double.isNaN(FoldSpread.of(List.of(0.3)).halfWidth()));
  }
}
