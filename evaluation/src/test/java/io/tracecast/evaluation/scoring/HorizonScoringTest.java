package io.tracecast.evaluation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.etl.SparkTestSession;
import io.tracecast.evaluation.baseline.Persistence;
import io.tracecast.evaluation.baseline.SeasonalNaive;
import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.StepScore;
import io.tracecast.evaluation.scoring.BaselineForecaster.BaselineFactory;
import io.tracecast.training.registry.ModelFamily;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * A horizon-3 example computed by hand: one series of 40 points (16 train, 12 validation, 12
 * test), persistence and seasonal naive (season 4) through the baseline forecaster, and a
 * "network" whose step-h forecasts miss by a known amount. Every per-step MAE and every
 * interval's coverage is recomputed here from the series itself, so a forecast scored at the
 * wrong step or against the wrong actual changes a number.
 */
class HorizonScoringTest {
  private static final int H = 3;
  private static final int N = 40;
  private static final int TRAIN = 16;
  private static final int VALIDATION = 12;
  private static final long T0 = 1_700_000_000_000L;
  private static final long STEP = 300_000;
  private static final StructType SCHEMA = BaselineForecasterTest.SCHEMA;

  private static double value(int t) {
    return 0.5 + 0.3 * Math.sin(1.3 * t) + 0.01 * t;
  }

  private static String split(int t) {
    return t < TRAIN ? "train" : t < TRAIN + VALIDATION ? "validation" : "test";
  }

  /** The network's error at step h for target t: grows with h, wider on the test split. */
  private static double networkError(int h, int t) {
    double spread = split(t).equals("test") ? 0.013 : 0.01;
    return h * spread * ((t * 7) % 5 - 2);
  }

  private record Fixed(String name, io.tracecast.evaluation.baseline.Baseline b)
      implements BaselineFactory {
    @Override
    public io.tracecast.evaluation.baseline.Baseline create(double[] trainValues) {
      return b;
    }
  }

  private static List<ForecastRow> forecasts() {
    List<Row> series = new ArrayList<>();
    for (int t = 0; t < N; t++) {
      series.add(new GenericRowWithSchema(new Object[] {"j", "s", new Timestamp(T0 + t * STEP), 0,
          split(t), value(t)}, SCHEMA));
    }
    BaselineForecaster f = new BaselineForecaster(List.of(new Fixed("persistence",
        new Persistence()), new Fixed("seasonal_naive", new SeasonalNaive(4))), List.of("cpu"), H,
        ProvisioningSettings.defaults(), new LongAccumulator(), new LongAccumulator());
    List<ForecastRow> rows = new ArrayList<>();
    f.call("j\u0000s", series.iterator()).forEachRemaining(r -> {
      if (!r.getFamily().equals(ScoreBook.POLICY)) {
        rows.add(r);
      }
    });
    for (int t = TRAIN; t < N; t++) {
      for (int h = 1; h <= H; h++) {
        double p = value(t) + networkError(h, t);
        rows.add(new ForecastRow("j", "s", split(t), "cpu", h, T0 + t * STEP, "mlp", 1,
            ModelFamily.NETWORK.name(), value(t), p, null, p));
      }
    }
    return rows;
  }

  /** Mean over test targets t of |f(t)|. */
  private static double testMean(IntToDoubleFunction f) {
    double sum = 0;
    for (int t = TRAIN + VALIDATION; t < N; t++) {
      sum += Math.abs(f.applyAsDouble(t));
    }
    return sum / (N - TRAIN - VALIDATION);
  }

  /**
   * Coverage of the 80 % band from 12 validation residuals: ranks floor(13 x 0.1) = 1 and
   * ceil(13 x 0.9) = 12, i.e. the smallest and the largest, taken directly here.
   */
  private static double coverage(IntToDoubleFunction residual) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int t = TRAIN; t < TRAIN + VALIDATION; t++) {
      lo = Math.min(lo, residual.applyAsDouble(t));
      hi = Math.max(hi, residual.applyAsDouble(t));
    }
    int covered = 0;
    for (int t = TRAIN + VALIDATION; t < N; t++) {
      double r = residual.applyAsDouble(t);
      covered += r >= lo && r <= hi ? 1 : 0;
    }
    return covered / (double) (N - TRAIN - VALIDATION);
  }

  private static ModelScore score(List<ModelScore> scores, String model) {
    return scores.stream().filter(s -> s.job().equals("j") && s.model().equals(model))
        .findFirst().orElseThrow();
  }

  @Test
  void scoresEveryStepAgainstItsOwnActualAndCalibratesEachStep() {
    var ds = SparkTestSession.get().createDataset(forecasts(), ForecastTable.ENCODER);
    ConformalBands bands = ConformalBands.calibrate(ds, new double[] {0.8});
    List<ModelScore> scores = ScoreBook.of(bands.attach(ds), Map.of(), bands.levels(),
        Folds.none(), 0.001).jobScores(Map.of());

    ModelScore persistence = score(scores, "persistence");
    ModelScore seasonal = score(scores, "seasonal_naive");
    ModelScore mlp = score(scores, "mlp");
    double[] pooled = new double[3];
    for (int h = 1; h <= H; h++) {
      int step = h;
      // persistence at step h forecasts t from the origin t - h; seasonal naive from t - 4,
      // which every origin up to step 4 has seen
      double pMae = testMean(t -> value(t) - value(t - step));
      double sMae = testMean(t -> value(t) - value(t - 4));
      double nMae = testMean(t -> networkError(step, t));
      assertEquals(pMae, stepOf(persistence, h).point().mae(), 1e-12, "persistence step " + h);
      assertEquals(sMae, stepOf(seasonal, h).point().mae(), 1e-12, "seasonal naive step " + h);
      assertEquals(nMae, stepOf(mlp, h).point().mae(), 1e-12, "network step " + h);
      pooled[0] += pMae / H;
      pooled[1] += sMae / H;
      pooled[2] += nMae / H;

      assertEquals(coverage(t -> value(t) - value(t - step)),
          interval(stepOf(persistence, h)).coverage(), 1e-12, "persistence coverage, step " + h);
      assertEquals(coverage(t -> -networkError(step, t)),
          interval(stepOf(mlp, h)).coverage(), 1e-12, "network coverage, step " + h);
      // provisioning the band's top h steps ahead misses where the residual exceeds its top
      double top = Double.NEGATIVE_INFINITY;
      for (int t = TRAIN; t < TRAIN + VALIDATION; t++) {
        top = Math.max(top, -networkError(step, t));
      }
      double limit = top;
      double misses = testMean(t -> -networkError(step, t) > limit ? 1 : 0);
      assertEquals(misses, stepOf(mlp, h).upperProvisioning().violationRate(), 1e-12,
          "p90 provisioning, step " + h);
    }
    // pooled: every step has as many test points, so the pooled MAE is the mean over steps
    assertEquals(pooled[0], persistence.point().mae(), 1e-12);
    assertEquals(pooled[1], seasonal.point().mae(), 1e-12);
    assertEquals(pooled[2], mlp.point().mae(), 1e-12);
    assertEquals(Arrays.asList(1, 2, 3), mlp.steps().stream().map(StepScore::step).toList());
    // the network's test errors are 1.3x its validation errors: the band misses some points
    double expected = 0;
    for (int h = 1; h <= H; h++) {
      int step = h;
      expected += coverage(t -> -networkError(step, t)) / H;
    }
    assertEquals(expected, mlp.interval(0.8).coverage(), 1e-12);
    assertEquals(true, expected < 1, "the wider test errors leave the band: " + expected);
  }

  private static StepScore stepOf(ModelScore s, int step) {
    return s.steps().stream().filter(x -> x.step() == step).findFirst().orElseThrow();
  }

  private static IntervalMetrics interval(StepScore s) {
    return s.intervals().stream().filter(i -> i.level() == 0.8).findFirst().orElseThrow();
  }
}
