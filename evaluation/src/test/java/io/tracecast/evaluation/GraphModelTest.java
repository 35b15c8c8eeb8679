package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph model through the stages on the fixture's dataset (one job of two Bitbrains VMs, one
 * two-node graph): trained by {@code train --models graph_gru} on a plain ETL output, scored by
 * evaluation on exactly the points of the window models and baselines, drawn as an adjacency
 * heat map, and served by predict.
 */
class GraphModelTest {
  @Test
  void trainsScoresOnTheSamePointsDrawsItsAdjacencyAndIsServed(@TempDir Path tmp)
      throws IOException {
    EvaluationFixture f = EvaluationFixture.get();
    String registry = tmp.resolve("registry").toString();
    TrainResult trained = TrainJob.run(EvaluationFixture.spark(), new TrainRequest(f.dataset,
        registry, List.of(), TrainSettings.defaults(List.of(ModelKinds.parse("graph_gru"),
                ModelKinds.parse("mlp")))
            .withExecution(1_000_000, 2, 1, "")
            .withOverrides(NetworkOverrides.none().withEpochs(2, 2).withBatch(16, 0.01)
                .withUnits(ModelKinds.GRAPH_GRU, List.of(8))
                .withUnits(ModelKinds.MLP, List.of(8, 4)))));
    assertTrue(trained.failed().isEmpty(), () -> "failed: " + trained.failed());
    assertEquals(2, trained.published().size());
    ModelMetadata meta = ModelRegistry.open(registry, EvaluationFixture.spark().sparkContext()
        .hadoopConfiguration()).metadata(EvaluationFixture.JOB, "graph_gru", VersionRef.LATEST);
    assertEquals(2, meta.lineage().graph().nodes());
    assertEquals(Map.of(EvaluationFixture.JOB, List.of("1", "2")), meta.lineage().graph().graphs());
    assertEquals(Map.of(), meta.params());

    Path report = tmp.resolve("report");
    EvaluationResult r = EvaluateJob.run(EvaluationFixture.spark(), new EvaluateRequest(
        f.dataset, registry, report.toString(), List.of(), f.settings));
    ModelScore graph = score(r, "graph_gru");
    ModelScore mlp = score(r, "mlp");
    ModelScore persistence = score(r, "persistence");
    assertTrue(graph.point().count() > 0);
    assertEquals(mlp.point().count(), graph.point().count(), "the same test points");
    assertEquals(persistence.point().count(), graph.point().count());
    assertTrue(Double.isFinite(graph.point().mae()));
    assertTrue(graph.windowsPerSecond() > 0, "its inference cost is measured on panels");
    assertTrue(r.report().adjacency().containsKey(EvaluationFixture.JOB));
    double[][] w = r.report().adjacency().get(EvaluationFixture.JOB).weights();
    for (double[] row : w) {
      assertEquals(1.0, row[0] + row[1], 1e-4, "rows of the mean adjacency sum to 1");
    }
    try (var plots = Files.list(report.resolve("plots"))) {
      assertTrue(plots.anyMatch(p -> p.getFileName().toString().startsWith("adjacency-")
          && p.getFileName().toString().endsWith(".png")));
    }

    Path out = tmp.resolve("predict");
    PredictJob.Result served = PredictJob.run(EvaluationFixture.spark(), new PredictRequest(
        f.dataset, registry, out.toString(), "latest", "graph_gru", PredictRequest.Windows.LATEST, List.of(), false,
        64));
    List<Row> rows = EvaluationFixture.spark().read().parquet(served.output()).collectAsList();
    assertEquals(2, rows.size(), "the last window of each VM");
    for (Row row : rows) {
      assertEquals("graph_gru", row.getString(row.fieldIndex("model")));
      assertFalse(Double.isNaN(row.getDouble(row.fieldIndex("forecast"))));
    }
    // beyond the data: each VM's panel at its last observed step (targets unknown), one step
    Path ahead = tmp.resolve("predict-future");
    PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, registry,
        ahead.toString(), "latest", "graph_gru", PredictRequest.Windows.FUTURE, List.of(), false,
        64));
    java.util.Map<String, Long> last = new java.util.HashMap<>();
    for (Row s : f.reader().series(EvaluationFixture.spark()).select("series_id", "ts")
        .collectAsList()) {
      last.merge(s.getString(0), s.getTimestamp(1).getTime(), Math::max);
    }
    List<Row> future = EvaluationFixture.spark().read().parquet(ahead.toString()).collectAsList();
    assertEquals(2, future.size(), "one step after each VM's data: " + future);
    for (Row row : future) {
      assertEquals(last.get(row.getString(row.fieldIndex("series_id"))),
          row.getTimestamp(row.fieldIndex("origin_time")).getTime());
      assertTrue(row.isNullAt(row.fieldIndex("actual")));
      assertTrue(Double.isFinite(row.getDouble(row.fieldIndex("forecast"))), "forecast " + row);
    }
  }

  private static ModelScore score(EvaluationResult r, String model) {
    return r.report().jobScores().stream().filter(s -> s.job().equals(EvaluationFixture.JOB)
        && s.model().equals(model)).findFirst().orElseThrow(() -> new AssertionError(
            "no " + model + " score in " + r.report().jobScores()));
  }
}
