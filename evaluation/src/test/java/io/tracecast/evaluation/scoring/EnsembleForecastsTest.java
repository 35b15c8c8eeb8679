package io.tracecast.evaluation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tracecast.etl.SparkTestSession;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.registry.ModelFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One job, one series, four candidates whose validation errors are known by construction:
 * the ensemble takes the three best on validation and forecasts their median at every point.
 */
class EnsembleForecastsTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long STEP = 300_000;
  /** candidate -> (family, version, constant error added to the actual) */
  private static final Object[][] MODELS = {
      {"cnn", ModelFamily.NETWORK, 2, 0.30}, {"gbt", ModelFamily.GBT, 1, -0.10},
      {"persistence", ModelFamily.BASELINE, 0, 0.20}, {"arima", ModelFamily.BASELINE, 0, 0.05}};

  private static List<ForecastRow> rows() {
    List<ForecastRow> out = new ArrayList<>();
    for (Object[] m : MODELS) {
      for (int t = 0; t < 10; t++) {
        String split = t < 5 ? "validation" : "test";
        double actual = 1 + t;
        double point = actual + (double) m[3];
        out.add(new ForecastRow("j", "s", split, "cpu", 1, T0 + t * STEP, (String) m[0],
            (int) m[2], ((ModelFamily) m[1]).name(), actual, point, null, point));
      }
    }
    return out;
  }

  @Test
  void takesTheBestCandidatesOnValidationAndForecastsTheirMedian() {
    var forecasts = SparkTestSession.get().createDataset(rows(), ForecastTable.ENCODER);
    ScoreBook book = ScoreBook.of(forecasts, Map.of(), 0.001);
    List<ModelScore> scores = book.jobScores(Map.of());
    Map<String, List<EnsembleSpec.Member>> members = EnsembleForecasts.members(scores, book, 3);
    // validation MAE: arima 0.05, gbt 0.10, persistence 0.20, cnn 0.30
    assertEquals(List.of(new EnsembleSpec.Member("arima", ModelFamily.BASELINE, 0),
        new EnsembleSpec.Member("gbt", ModelFamily.GBT, 1),
        new EnsembleSpec.Member("persistence", ModelFamily.BASELINE, 0)), members.get("j"));
    List<ForecastRow> ens = new ArrayList<>(EnsembleForecasts.forecasts(forecasts, members,
        ProvisioningSettings.defaults()).collectAsList());
    ens.sort(Comparator.comparing(ForecastRow::getTargetTime));
    assertEquals(10, ens.size(), "the members' points, each once");
    for (ForecastRow r : ens) {
      // median of actual + {0.05, -0.10, 0.20} is actual + 0.05
      assertEquals(r.getActual() + 0.05, r.getPoint(), 1e-12);
      assertEquals(EnsembleForecasts.MODEL, r.getModel());
      assertEquals(ModelFamily.ENSEMBLE.name(), r.getFamily());
    }
    assertFalse(EnsembleForecasts.members(scores, book, 1).containsKey("j"), "k < 2: none");
    assertEquals(2.5, EnsembleForecasts.median(new double[] {4, 1, 2, 3}), 0);
  }
}
