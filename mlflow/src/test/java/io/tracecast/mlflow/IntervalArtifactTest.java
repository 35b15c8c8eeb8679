package io.tracecast.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.evaluation.scoring.ConformalBands;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry holding a calibration written by hand (as evaluate's file would be) for two
 * versions of one model, a baseline, and another job: each exported version gets exactly its
 * own rows, read back here with a plain JSON parser and with evaluation's reader.
 */
class IntervalArtifactTest {
  private static final String FP = "0a1b2c";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STORED = """
      {"levels": [0.8, 0.9], "bands": [
        {"job": "vm-1", "model": "lstm", "version": 3, "step": 1, "target": "cpu",
         "offsets": [-0.10, 0.20, -0.15, 0.30]},
        {"job": "vm-1", "model": "lstm", "version": 3, "step": 2, "target": "cpu",
         "offsets": [-0.12, 0.25, -0.18, 0.36]},
        {"job": "vm-1", "model": "lstm", "version": 2, "step": 1, "target": "cpu",
         "offsets": [-1, 1, -2, 2]},
        {"job": "vm-1", "model": "persistence", "version": 0, "step": 1, "target": "cpu",
         "offsets": [-0.3, 0.4, -0.5, 0.6]},
        {"job": "vm-2", "model": "lstm", "version": 3, "step": 1, "target": "cpu",
         "offsets": [-9, 9, -9, 9]}]}
      """;

  @TempDir
  Path tmp;
  private ModelRegistry registry;

  @BeforeEach
  void store() {
    registry = ModelRegistry.open(tmp.toString(), new Configuration());
    registry.publishIntervals(FP, STORED);
  }

  private static ModelMetadata metadata(String model, ModelFamily family, String fingerprint) {
    return new ModelMetadata(ModelMetadata.SCHEMA_VERSION, "vm-1", model,
        family == ModelFamily.NETWORK ? ModelKinds.LSTM.defaults() : null,
        new NetworkShape(12, 1, 2, 1), fingerprint, "/data/ds", List.of("cpu"), List.of("cpu"),
        Map.of("cpu", Scaler.fit(Scaler.Kind.MINMAX, 100, 0, 0.2, 0.05, 0.01)),
        new TrainingHistory(List.of(new Epoch(1, 0.3, 0.3, 0.1)), 1, 1.5, 640), "0.1.0",
        Hardware.detect(), "2026-01-01T00:00:00Z", family,
        family == ModelFamily.NETWORK ? null : Map.of("baseline", model), null);
  }

  private static List<String> rows(JsonNode doc) {
    List<String> out = new ArrayList<>();
    doc.get("bands").forEach(b -> out.add(b.get("job").asText() + "/" + b.get("model").asText()
        + "/" + b.get("version").asInt() + "/" + b.get("step").asInt()));
    return out;
  }

  @Test
  void carriesOnlyTheVersionsOwnRowsWithLevelsAndChecksum() throws Exception {
    ModelVersion v = new ModelVersion("vm-1", "lstm", 3, "file:/r/vm-1/lstm/v3");
    IntervalArtifact a = IntervalArtifact.of(registry, v,
        metadata("lstm", ModelFamily.NETWORK, FP)).orElseThrow();

    assertEquals("intervals/" + FP + ".json", a.path());
    JsonNode doc = JSON.readTree(a.json());
    assertEquals(List.of("vm-1/lstm/3/1", "vm-1/lstm/3/2"), rows(doc));
    assertEquals("[0.8,0.9]", doc.get("levels").toString());
    assertEquals("[-0.12,0.25,-0.18,0.36]", doc.get("bands").get(1).get("offsets").toString());
    // what a user loading the model does with it: evaluation's reader, the offsets of a key
    ConformalBands back = ConformalBands.fromJson(new String(a.json(), StandardCharsets.UTF_8));
    assertArrayEquals(new double[] {-0.10, 0.20, -0.15, 0.30},
        back.offsets("vm-1", "lstm", 3, 1, "cpu"), 0.0);
    Map<String, String> tags = new java.util.TreeMap<>();
    a.tags().forEach(t -> tags.put(t.key(), t.value()));
    assertEquals(Map.of(IntervalArtifact.TAG_INTERVALS, a.path(), IntervalArtifact.TAG_LEVELS,
        "80,90", IntervalArtifact.TAG_SHA256,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a.json()))), tags);
  }

  @Test
  void aPublishedBaselineCarriesTheRowsItWasScoredUnderAsVersionZero() throws Exception {
    ModelVersion v = new ModelVersion("vm-1", "persistence", 5, "file:/r/vm-1/persistence/v5");
    IntervalArtifact a = IntervalArtifact.of(registry, v,
        metadata("persistence", ModelFamily.BASELINE, FP)).orElseThrow();
    assertEquals(List.of("vm-1/persistence/0/1"), rows(JSON.readTree(a.json())));
  }

  @Test
  void nothingWithoutACalibrationOfTheVersionOrOfItsDataset() {
    assertEquals(Optional.empty(), IntervalArtifact.of(registry,
        new ModelVersion("vm-1", "lstm", 4, "file:/r/vm-1/lstm/v4"),
        metadata("lstm", ModelFamily.NETWORK, FP)));
    assertEquals(Optional.empty(), IntervalArtifact.of(registry,
        new ModelVersion("vm-1", "lstm", 3, "file:/r/vm-1/lstm/v3"),
        metadata("lstm", ModelFamily.NETWORK, "ffff")));
    assertTrue(MlflowNames.intervalsArtifact("a.b/c").matches("intervals/a~2Eb~2Fc\\.json"));
  }
}
