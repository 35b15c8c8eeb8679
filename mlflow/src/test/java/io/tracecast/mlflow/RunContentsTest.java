package io.tracecast.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Scaler;
import io.tracecast.mlflow.MlflowApi.Metric;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelVersion;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RunContentsTest {
  private static final NetworkShape SHAPE = new NetworkShape(12, 1, 1, 1);
  private static final ModelVersion V = new ModelVersion("vm-1", "lstm", 3, "file:/r/vm-1/lstm/v3");
  private static final TrainingHistory HISTORY = new TrainingHistory(List.of(
      new Epoch(1, 0.3, Double.NaN, Double.NaN), new Epoch(2, 0.2, 0.35, 0.15)), 2, 1.5, 640);

  private static ModelMetadata metadata(ModelSpec spec, ModelFamily family,
      Map<String, Object> params) {
    return new ModelMetadata(ModelMetadata.SCHEMA_VERSION, "vm-1", "lstm", spec, SHAPE, "fp-123",
        "/data/ds", List.of("cpu"), List.of("cpu"),
        Map.of("cpu", Scaler.fit(Scaler.Kind.MINMAX, 100, 0, 0.2, 0.05, 0.01)), HISTORY,
        "0.1.0", Hardware.detect(), "2026-01-01T00:00:00Z", family, params, null);
  }

  private static Map<String, String> params(RunContents c) {
    Map<String, String> out = new TreeMap<>();
    c.params().forEach(p -> out.put(p.key(), p.value()));
    return out;
  }

  @Test
  void flattensTheSpecAndShapeIntoParamsAndTagsTheLineage() {
    ModelSpec spec = ModelKinds.LSTM.defaults().withUnits(List.of(16));
    RunContents c = RunContents.of(V, metadata(spec, ModelFamily.NETWORK, null), "file:/r");
    Map<String, String> p = params(c);
    assertEquals("network", p.get("family"));
    assertEquals("[16]", p.get("spec.units"));
    assertEquals("12", p.get("shape.lookback"));
    assertEquals("[\"cpu\"]", p.get("features"));
    assertTrue(p.keySet().stream().anyMatch(k -> k.startsWith("spec.training.")), p.toString());
    Map<String, String> tags = new TreeMap<>();
    c.tags().forEach(t -> tags.put(t.key(), t.value()));
    assertEquals("vm-1/lstm/v3", tags.get(MlflowNames.TAG_VERSION_ID));
    assertEquals("3", tags.get(MlflowNames.TAG_VERSION));
    assertEquals("fp-123", tags.get("tracecast.dataset_fingerprint"));
    assertEquals("file:/r", tags.get(MlflowNames.TAG_REGISTRY));
    assertFalse(tags.containsKey(RunContents.TAG_OMITTED));
  }

  @Test
  void logsTheCurvePerEpochWithoutNaNPoints() {
    RunContents c = RunContents.of(V, metadata(ModelKinds.LSTM.defaults(),
        ModelFamily.NETWORK, null), "file:/r");
    List<Metric> loss = c.metrics().stream().filter(m -> m.key().equals("training/train_loss"))
        .toList();
    assertEquals(List.of(1L, 2L), loss.stream().map(Metric::step).toList());
    assertEquals(0.2, loss.get(1).value());
    List<Metric> mae = c.metrics().stream()
        .filter(m -> m.key().equals("training/validation_mae")).toList();
    assertEquals(1, mae.size(), "epoch 1 had no validation: no point");
    assertEquals(1_767_225_600_000L, mae.get(0).timestamp(), "at the version's creation");
  }

  @Test
  void leavesOutValuesMlflowWouldRefuseAndNamesThem() {
    Map<String, Object> params = new TreeMap<>();
    params.put("rounds", 40);
    params.put("trials", "x".repeat(RunContents.MAX_PARAM_VALUE + 1));
    params.put("bad key?", 1);
    RunContents c = RunContents.of(V, metadata(null, ModelFamily.GBT, params), "file:/r");
    Map<String, String> p = params(c);
    assertEquals("40", p.get("params.rounds"));
    assertFalse(p.containsKey("params.trials"));
    String omitted = c.tags().stream().filter(t -> t.key().equals(RunContents.TAG_OMITTED))
        .findFirst().orElseThrow().value();
    assertEquals("params.bad key?,params.trials", omitted);
  }
}
