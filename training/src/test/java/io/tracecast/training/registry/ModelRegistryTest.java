package io.tracecast.training.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Scaler;
import io.tracecast.training.BitbrainsSample;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class ModelRegistryTest {
  private static final NetworkShape SHAPE = new NetworkShape(12, 1, 1, 1);
  private static ModelSpec spec;
  private static ComputationGraph trained;
  private static DataSet data;

  @TempDir
  Path dir;

  /** A bilstm_attention network (custom pinball loss and schedule) trained a few steps. */
  @BeforeAll
  static void trainSmallNetwork() {
    spec = ModelKinds.BILSTM_ATTENTION.defaults().withUnits(List.of(8, 8));
    BitbrainsSample.Windows w = BitbrainsSample.windows(32, SHAPE.lookback(), 0);
    data = WindowTensors.dataSet(w.inputs(), w.targets(), SHAPE, spec);
    trained = NetworkBuilder.build(spec, SHAPE);
    for (int i = 0; i < 3; i++) {
      trained.fit(data);
    }
  }

  private ModelRegistry registry() {
    return ModelRegistry.open(dir.resolve("registry").toString(), new Configuration());
  }

  private static ModelMetadata metadata(String job, String model) {
    return new ModelMetadata(ModelMetadata.SCHEMA_VERSION, job, model, spec, SHAPE, "fp-123",
        "/data/ds", List.of("cpu"), List.of("cpu"),
        Map.of("cpu", Scaler.fit(Scaler.Kind.MINMAX, 100, 0, 0.2, 0.05, 0.01)),
        new TrainingHistory(List.of(new Epoch(1, 0.3, 0.4, 0.2), new Epoch(2, 0.2, 0.35, 0.15)),
            2, 1.5, 640),
        "0.1.0-SNAPSHOT", Hardware.detect(), "2026-01-01T00:00:00Z", ModelFamily.NETWORK,
        Map.of(), Lineage.NONE);
  }

  @Test
  void refusesMetadataOfANewerSchemaNamingTheFileAndBothVersions() {
    ModelRegistry reg = registry();
    ModelMetadata m = metadata("vm-1", "lstm");
    int newer = ModelMetadata.SCHEMA_VERSION + 1;
    ModelVersion v = reg.publish("vm-1", "lstm", trained, new ModelMetadata(newer, m.job(),
        m.model(), m.spec(), m.shape(), m.datasetFingerprint(), m.datasetPath(), m.features(),
        m.targets(), m.scalers(), m.history(), m.codeVersion(), m.hardware(), m.createdAt(),
        m.family(), m.params(), m.lineage()));
    String expected = v.path() + "/metadata.json: schema version " + newer
        + ", this tracecast reads up to " + ModelMetadata.SCHEMA_VERSION
        + "; use the tracecast that wrote it, or a newer one";
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> reg.load("vm-1", "lstm", VersionRef.LATEST)).getMessage());
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> reg.metadata("vm-1", "lstm", VersionRef.version(1))).getMessage());
  }

  @Test
  void publishedModelLoadsWithSameOutputsMetadataAndUpdaterState() {
    ModelRegistry reg = registry();
    ModelVersion v = reg.publish("vm-1", "bilstm_attention", trained,
        metadata("vm-1", "bilstm_attention"));
    assertEquals(1, v.version());
    assertTrue(Files.isRegularFile(Path.of(v.path().replace("file:", ""), "checksums.sha256")));

    LoadedModel loaded = reg.load("vm-1", "bilstm_attention", VersionRef.LATEST);
    INDArray expected = trained.outputSingle(data.getFeatures());
    INDArray actual = loaded.network().outputSingle(data.getFeatures());
    assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-6);
    assertEquals(metadata("vm-1", "bilstm_attention").spec(), loaded.metadata().spec());
    assertEquals("fp-123", loaded.metadata().datasetFingerprint());
    assertEquals(2, loaded.metadata().history().bestEpoch());
    assertEquals(0.2, loaded.metadata().scalers().get("cpu").scale(), 1e-12);
    assertEquals(trained.getUpdater().getStateViewArray(),
        loaded.network().getUpdater().getStateViewArray());
  }

  @Test
  void versionsIncreaseAndListShowsEveryVersion() {
    ModelRegistry reg = registry();
    for (int i = 1; i <= 3; i++) {
      assertEquals(i, reg.publish("vm-1", "lstm", trained, metadata("vm-1", "lstm")).version());
    }
    reg.publish("vm-2", "lstm", trained, metadata("vm-2", "lstm"));
    assertEquals(List.of(1, 2, 3), reg.versions("vm-1", "lstm"));
    assertEquals(List.of(), reg.versions("vm-3", "lstm"));
    assertEquals(4, reg.list().size());
    assertEquals("vm-2", reg.list().get(3).job());
  }

  @Test
  void concurrentPublishersGetDistinctVersions() throws Exception {
    ModelRegistry reg = registry();
    int n = 6;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> ModelRegistry.open(reg.root(), new Configuration())
            .publish("vm-1", "lstm", trained, metadata("vm-1", "lstm")).version()));
      }
      Set<Integer> got = new HashSet<>();
      for (Future<Integer> f : futures) {
        got.add(f.get());
      }
      assertEquals(Set.of(1, 2, 3, 4, 5, 6), got);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(1, 2, 3, 4, 5, 6), reg.versions("vm-1", "lstm"));
    try (Stream<Path> s = Files.list(dir.resolve("registry/vm-1/lstm"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".staging")));
    }
  }

  @Test
  void corruptedModelFileIsRejectedWithAChecksumError() throws IOException {
    ModelRegistry reg = registry();
    ModelVersion v = reg.publish("vm-1", "lstm", trained, metadata("vm-1", "lstm"));
    Path model = Path.of(v.path().replace("file:", ""), RegistryLayout.MODEL_FILE);
    try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x01);
    }
    RegistryCorruptedException e = assertThrows(RegistryCorruptedException.class,
        () -> reg.load("vm-1", "lstm", VersionRef.version(1)));
    assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("model.zip"),
        e.getMessage());
  }

  @Test
  void pathEscapingIdsCannotLeaveTheRoot() throws IOException {
    ModelRegistry reg = registry();
    for (String bad : List.of("", "a\u0000b", "line\nbreak")) {
      assertThrows(IllegalArgumentException.class,
          () -> reg.publish(bad, "lstm", trained, metadata(bad, "lstm")), bad);
    }
    // Separators and dot names are encoded into one safe segment, and decode back.
    for (String job : List.of("..", "../../etc", "a/b", "a\\b", ".hidden", "yNf/R3+X=")) {
      ModelVersion v = reg.publish(job, "..", trained, metadata(job, ".."));
      Path p = Path.of(v.path().replace("file:", "")).normalize();
      assertTrue(p.startsWith(dir.resolve("registry")), p.toString());
      assertEquals(dir.resolve("registry"), p.getParent().getParent().getParent());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("registry")), s.toList());
    }
    assertEquals(Set.of("..", "../../etc", "a/b", "a\\b", ".hidden", "yNf/R3+X="),
        new HashSet<>(reg.list().stream().map(ModelVersion::job).toList()));
    assertEquals("%2E.", RegistryNames.encode("..", "job"));
    assertEquals("a%2Fb", RegistryNames.encode("a/b", "job"));
  }

  @Test
  void longIdsGetShortenedSegmentsAndAreListedWhole() throws IOException {
    ModelRegistry reg = registry();
    String azure = "yNf/R3+X=".repeat(34);          // 306 chars, 459 encoded
    String unicode = "雲<b>'%/..".repeat(100);       // 1000 chars
    for (String job : List.of(azure, unicode)) {
      ModelVersion v = reg.publish(job, "mlp", trained, metadata(job, "mlp"));
      Path p = Path.of(v.path().replace("file:", "")).normalize();
      assertTrue(p.startsWith(dir.resolve("registry")), p.toString());
      for (Path name : dir.resolve("registry").relativize(p)) {
        assertTrue(name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            <= 255, name.toString());
      }
      assertEquals(job, reg.load(job, "mlp", VersionRef.LATEST).metadata().job());
      reg.setAlias(job, "champion", "mlp", 1);
      assertEquals(1, reg.resolve(job, "mlp", VersionRef.alias("champion")).version());
    }
    assertEquals(Set.of(azure, unicode),
        new HashSet<>(reg.list().stream().map(ModelVersion::job).toList()));
    // ids that fitted before keep their segment
    assertEquals("yNf%2FR3%2BX%3D", RegistryNames.encode("yNf/R3+X=", "job"));
    assertEquals("a".repeat(255), RegistryNames.encode("a".repeat(255), "job"));
    assertTrue(RegistryNames.encode("a".repeat(256), "job").length() <= 255);
  }

  @Test
  void aliasesMoveAtomicallyAndLoadResolvesThem() throws Exception {
    ModelRegistry reg = registry();
    reg.publish("vm-1", "lstm", trained, metadata("vm-1", "lstm"));
    reg.publish("vm-1", "lstm", trained, metadata("vm-1", "lstm"));
    assertThrows(IllegalArgumentException.class, () -> reg.setAlias("vm-1", "champion", "lstm", 9));
    reg.setAlias("vm-1", "champion", "lstm", 1);
    assertEquals(1, reg.load("vm-1", "lstm", VersionRef.alias("champion")).version().version());

    // A reader polling while a writer flips the alias sees v1 or v2, never a broken file.
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        reg.setAlias("vm-1", "champion", "lstm", 1 + i % 2);
      }
      stop.set(true);
    });
    writer.start();
    int reads = 0;
    while (!stop.get()) {
      int v = reg.aliases("vm-1").get("champion").version();
      assertTrue(v == 1 || v == 2, "read version " + v);
      reads++;
    }
    writer.join();
    assertTrue(reads > 0);
    reg.setAlias("vm-1", "champion", "lstm", 2);
    reg.setAlias("vm-1", "baseline", "lstm", 1);
    assertEquals(2, reg.aliases("vm-1").get("champion").version());
    assertEquals(1, reg.aliases("vm-1").get("baseline").version());
    try (Stream<Path> s = Files.list(dir.resolve("registry/vm-1"))) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")));
    }
  }

  private static ModelMetadata gbtMetadata(String job, String model) {
    ModelMetadata n = metadata(job, model);
    return new ModelMetadata(ModelMetadata.SCHEMA_VERSION, job, model, null, SHAPE,
        n.datasetFingerprint(), n.datasetPath(), n.features(), n.targets(), n.scalers(),
        n.history(), n.codeVersion(), n.hardware(), n.createdAt(), ModelFamily.GBT,
        Map.of("spec", Map.of("rounds", 400, "eta", 0.05)),
        Lineage.NONE.withPooledOver(List.of("vm-1", "vm-2")));
  }

  @Test
  void gbtVersionRoundTripsItsFilesAndParams() {
    ModelRegistry reg = registry();
    byte[] booster = new byte[1000];
    new java.util.Random(3).nextBytes(booster);
    ModelVersion v = reg.publish("vm-1", "gbt", gbtMetadata("vm-1", "gbt"),
        Map.of("model-0.ubj", booster));
    assertEquals(1, v.version());
    assertArrayEquals(booster, reg.readFile(reg.resolve("vm-1", "gbt", VersionRef.LATEST), "model-0.ubj"));
    ModelMetadata m = reg.metadata("vm-1", "gbt", VersionRef.version(1));
    assertEquals(ModelFamily.GBT, m.family());
    assertEquals(null, m.spec());
    assertEquals(SHAPE, m.shape());
    assertEquals(List.of("vm-1", "vm-2"), m.lineage().pooledOver());
    assertEquals(400, ((Map<?, ?>) m.params().get("spec")).get("rounds"));
    // A baseline may have no file at all: its parameters live in the metadata.
    ModelVersion empty = reg.publish("vm-1", "gbt", gbtMetadata("vm-1", "gbt"), Map.of());
    assertEquals(2, empty.version());
    assertThrows(IllegalArgumentException.class,
        () -> reg.readFile(reg.resolve("vm-1", "gbt", VersionRef.version(2)), "model-0.ubj"));
    IllegalArgumentException notANetwork = assertThrows(IllegalArgumentException.class,
        () -> reg.load("vm-1", "gbt", VersionRef.version(1)));
    assertTrue(notANetwork.getMessage().contains("gbt model, not a DL4J network"),
        notANetwork.getMessage());
    assertThrows(IllegalArgumentException.class, () -> reg.publish("vm-1", "gbt",
        gbtMetadata("vm-1", "gbt"), Map.of("../escape", booster)));
    assertThrows(IllegalArgumentException.class, () -> reg.publish("vm-1", "gbt",
        gbtMetadata("vm-1", "gbt"), Map.of(RegistryLayout.METADATA_FILE, booster)));
  }

  @Test
  void corruptedGbtFileIsRefusedByReadFile() throws IOException {
    ModelRegistry reg = registry();
    ModelVersion v = reg.publish("vm-1", "gbt", gbtMetadata("vm-1", "gbt"),
        Map.of("model-0.ubj", new byte[] {1, 2, 3, 4}));
    Files.write(Path.of(v.path().replace("file:", ""), "model-0.ubj"), new byte[] {1, 2, 3, 5});
    RegistryCorruptedException e = assertThrows(RegistryCorruptedException.class,
        () -> reg.readFile(reg.resolve("vm-1", "gbt", VersionRef.version(1)), "model-0.ubj"));
    assertTrue(e.getMessage().contains("checksum mismatch")
        && e.getMessage().contains("model-0.ubj"), e.getMessage());
    // metadata() verifies every listed file, so the version is refused there too.
    assertThrows(RegistryCorruptedException.class, () -> reg.metadata("vm-1", "gbt", VersionRef.version(1)));
  }

  @Test
  void metadataWrittenBeforeFamiliesReadsAsNetwork() throws Exception {
    ModelRegistry reg = registry();
    ModelVersion v = reg.publish("vm-1", "lstm", trained, metadata("vm-1", "lstm"));
    Path versionDir = Path.of(v.path().replace("file:", ""));
    Path metadataFile = versionDir.resolve(RegistryLayout.METADATA_FILE);
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(metadataFile.toFile());
    assertEquals("network", tree.get("family").asText());
    tree.remove("family");
    tree.remove("params");
    tree.remove("lineage");
    byte[] old = mapper.writeValueAsBytes(tree);
    Files.write(metadataFile, old);
    // Re-record its digest the way sha256sum would, so only the content is old-style.
    String digest = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(old));
    Path sums = versionDir.resolve("checksums.sha256");
    List<String> lines = Files.readAllLines(sums).stream()
        .map(l -> l.endsWith("  " + RegistryLayout.METADATA_FILE)
            ? digest + "  " + RegistryLayout.METADATA_FILE : l).toList();
    Files.write(sums, lines);

    LoadedModel loaded = reg.load("vm-1", "lstm", VersionRef.version(1));
    assertEquals(ModelFamily.NETWORK, loaded.metadata().family());
    assertEquals(Map.of(), loaded.metadata().params());
    assertEquals(metadata("vm-1", "lstm").spec(), loaded.metadata().spec());
  }
}
