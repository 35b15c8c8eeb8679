package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code linear} kind, added through the kinds' one list, is trained, scored and served as
 * any kind: evaluate ranks it beside the baselines, and predict's forecasts are the network's
 * own output taken back to original units by hand.
 */
class LinearKindTest {
  @Test
  void isTrainedScoredAndServedLikeAnyKind(@TempDir Path tmp) {
    EvaluationFixture f = EvaluationFixture.get();
    String registry = tmp.resolve("registry").toString();
    TrainResult trained = TrainJob.run(EvaluationFixture.spark(), new TrainRequest(f.dataset,
        registry, List.of(), TrainSettings.defaults(List.of(ModelKinds.parse("linear")))
            .withExecution(1_000_000, 2, 1, "")
            .withOverrides(NetworkOverrides.none().withEpochs(3, 3).withBatch(32, 0.01)
                .withResidual(true))));
    assertEquals(List.of(), trained.failed());
    assertEquals(1, trained.published().size());

    EvaluationResult evaluated = EvaluateJob.run(EvaluationFixture.spark(), new EvaluateRequest(
        f.dataset, registry, tmp.resolve("report").toString(), List.of(), f.settings));
    ModelScore linear = evaluated.report().jobScores().stream()
        .filter(s -> s.job().equals(EvaluationFixture.JOB) && s.model().equals("linear"))
        .findFirst().orElseThrow();
    assertEquals(ModelFamily.NETWORK, linear.family());
    assertTrue(Double.isFinite(linear.point().mae()) && linear.point().mae() > 0,
        linear.toString());
    assertTrue(Double.isFinite(linear.validationMae()), linear.toString());

    Path out = tmp.resolve("forecasts");
    PredictJob.Result r = PredictJob.run(EvaluationFixture.spark(), new PredictRequest(
        f.dataset, registry, out.toString(), "latest", "linear",
        PredictRequest.Windows.parse("test"), List.of(), false, 256));
    List<Row> windows = f.windows(Split.TEST);
    List<Row> rows = EvaluationFixture.spark().read().parquet(out.toString()).collectAsList();
    assertEquals(windows.size(), r.rows());
    Map<String, Row> byOrigin = new HashMap<>();
    windows.forEach(w -> byOrigin.put(w.getString(w.fieldIndex("series_id")) + "@"
        + w.getTimestamp(w.fieldIndex("end_time")).getTime(), w));
    ComputationGraph net = ModelRegistry.open(registry, new Configuration())
        .load(EvaluationFixture.JOB, "linear", VersionRef.LATEST).network();
    for (Row p : rows.subList(0, Math.min(16, rows.size()))) {
      Row w = byOrigin.get(p.getString(p.fieldIndex("series_id")) + "@"
          + p.getTimestamp(p.fieldIndex("origin_time")).getTime());
      assertNotNull(w, p.toString());
      double direct = f.directForecast(net, w);
      assertEquals(direct, p.getDouble(p.fieldIndex("forecast")),
          1e-5 * Math.max(1, Math.abs(direct)));
    }
  }
}
