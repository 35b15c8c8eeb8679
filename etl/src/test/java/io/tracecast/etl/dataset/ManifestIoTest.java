package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.clean.CleaningStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestIoTest {
  @TempDir
  Path tmp;

  static Manifest manifest(int schemaVersion) {
    Map<String, Long> windows = new LinkedHashMap<>();
    windows.put("train", 16L);
    windows.put("validation", 6L);
    windows.put("test", 6L);
    CleaningStats cleaning = new CleaningStats(41, 1, 0, 0, 40, 0, 0, 0, 0, 2, 1);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("lookback", 12);
    settings.put("scaler", "MINMAX");
    return new Manifest(schemaVersion, "2026-01-01T00:00:00Z", "google2011", "abc123",
        "2011-05-01T22:50:00Z",
        List.of(new Manifest.InputFile("file:/in/part-0.csv", 1234, 1_700_000_000_000L)),
        300, 12, 1, 1, List.of("cpu", "hour_sin"), List.of("cpu"), Float32Codec.NAME,
        Map.of("cpu", "fraction of the largest machine's CPU"), 0.7, 0.15, "minmax",
        Map.of("6000", Map.of("cpu", Scaler.fit(Scaler.Kind.MINMAX, 28, 0.01, 0.38, 0.2, 0.1),
            "hour_sin", Scaler.identity())),
        List.of(new Manifest.SeriesEntry("6000", "6000-0", 40, 1, "2011-05-01T23:00:00Z",
            "2011-05-02T02:15:00Z", "2011-05-02T01:20:00Z", null, windows, Map.of())),
        new Manifest.Counts(1, 1, 42, 41, 1, Map.of("NEGATIVE_USAGE", 1L), Map.of(), 1, 1,
            windows, 0, 0, 0, cleaning),
        List.of(new Manifest.SkippedFile("file:/in/empty.csv", "EMPTY_FILE", "file has no bytes")),
        settings);
  }

  @Test
  void roundTripsEveryField() {
    Manifest m = manifest(Manifest.SCHEMA_VERSION);
    ManifestIo.write(m, tmp.toString(), new Configuration());
    Manifest read = ManifestIo.read(tmp.toString(), new Configuration());
    assertEquals(m, read);
    assertEquals(List.of("train", "validation", "test"),
        List.copyOf(read.counts().windows().keySet()), "split order is kept");
    assertTrue(read.scalersOf("6000").get("hour_sin").isIdentity());
    assertEquals(List.of("6000"), read.jobs());
  }

  @Test
  void roundTripsTheSeasonalAndNormalisationFields() {
    Manifest m = WindowScalingTest.manifest("window");
    ManifestIo.write(m, tmp.toString(), new Configuration());
    Manifest read = ManifestIo.read(tmp.toString(), new Configuration());
    assertEquals(m, read);
    assertEquals(Normalisation.WINDOW, read.normalisationMode());
    assertEquals(List.of(new SeasonalLag("30m", 6)), read.lags());
    assertEquals(0.02, read.series().get(0).scales().get("cpu"));
    assertEquals(new Manifest.Bounds(0.0, null), read.targetBounds().get("cpu"));
  }

  @Test
  void roundTripsTheGraphs() {
    Manifest m = manifest(Manifest.SCHEMA_VERSION);
    Map<String, Long> panels = new LinkedHashMap<>();
    panels.put("train", 16L);
    panels.put("validation", 6L);
    panels.put("test", 6L);
    Manifest withGraphs = new Manifest(m.schemaVersion(), m.createdAt(), m.source(),
        m.fingerprint(), m.timeOrigin(), m.inputs(), m.stepSeconds(), m.lookback(), m.horizon(),
        m.stride(), m.features(), m.targets(), m.tensorEncoding(), m.units(),
        m.trainFraction(), m.validationFraction(), m.scalerKind(), m.scalers(), m.series(),
        m.counts(), m.skippedFiles(), m.settings(), m.seasonalLags(), m.normalisation(),
        m.targetBounds(), List.of(
            new Manifest.Graph("6000", "6000#0", List.of("6000-0", "6000-2"), panels, 0),
            new Manifest.Graph("6000", "6000#1", List.of("6000-1"), Map.of("train", 3L), 0)));
    ManifestIo.write(withGraphs, tmp.toString(), new Configuration());
    Manifest read = ManifestIo.read(tmp.toString(), new Configuration());
    assertEquals(withGraphs, read);
    assertEquals(List.of("6000-0", "6000-2"), read.graphsOf("6000").get(0).nodes());
    assertEquals(List.of("train", "validation", "test"),
        List.copyOf(read.graphs().get(0).panels().keySet()), "split order is kept");
    assertEquals(List.of(), read.graphsOf("7000"));
  }

  @Test
  void refusesAGraphWithUnsortedOrRepeatedNodes() {
    assertThrows(IllegalArgumentException.class,
        () -> new Manifest.Graph("j", "j", List.of("b", "a"), Map.of(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Manifest.Graph("j", "j", List.of("a", "a"), Map.of(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Manifest.Graph("j", "j", List.of(), Map.of(), 0));
  }

  /** A manifest.json written before seasonal lags and normalisation modes, as on disk. */
  @Test
  void readsAManifestWithoutTheNewFieldsAsJobMode() throws IOException {
    ManifestIo.write(manifest(1), tmp.toString(), new Configuration());
    Path file = tmp.resolve(DatasetLayout.MANIFEST);
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode) ManifestIo.JSON.readTree(file.toFile());
    json.remove(List.of("seasonalLags", "normalisation", "targetBounds", "graphs"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("series").get(0)).remove("scales");
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("counts"))
        .remove(List.of("windowsWithoutSeasonalHistory", "windowsWithoutSeasonalHistoryBySplit"));
    String old = ManifestIo.JSON.writeValueAsString(json);
    assertTrue(!old.contains("normalisation") && !old.contains("scales")
        && !old.contains("graphs"), old);
    Files.writeString(file, old);
    // Hadoop's local filesystem checks the file against its .crc sibling: edited by hand, none
    Files.deleteIfExists(tmp.resolve("." + DatasetLayout.MANIFEST + ".crc"));

    Manifest read = ManifestIo.read(tmp.toString(), new Configuration());
    assertEquals("job", read.normalisation());
    assertEquals(Normalisation.JOB, WindowScaling.of(read).mode());
    assertEquals(Map.of(), read.seasonalLags());
    assertEquals(Map.of(), read.series().get(0).scales());
    assertEquals(Map.of(), read.counts().windowsWithoutSeasonalHistory());
    assertEquals(new Manifest.Bounds(0.0, null), read.targetBounds().get("cpu"),
        "bounds of older datasets come from the metric");
    assertEquals(manifest(1), read);
    // written before panels: no graphs, and the reader says why it has no panels
    assertEquals(List.of(), read.graphs());
    IllegalArgumentException noPanels = assertThrows(IllegalArgumentException.class,
        () -> PanelAssembly.of(read));
    assertTrue(noPanels.getMessage().contains("before job panels"), noPanels.getMessage());
  }

  @Test
  void refusesToOverwriteAManifest() {
    ManifestIo.write(manifest(1), tmp.toString(), new Configuration());
    assertThrows(RuntimeException.class,
        () -> ManifestIo.write(manifest(1), tmp.toString(), new Configuration()));
  }

  @Test
  void rejectsADirectoryWithoutManifestAndAnotherSchemaVersion() throws IOException {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ManifestIo.read(tmp.toString(), new Configuration()));
    assertTrue(none.getMessage().contains("is not a tracecast dataset"), none.getMessage());

    Path other = Files.createDirectories(tmp.resolve("v99"));
    ManifestIo.write(manifest(99), other.toString(), new Configuration());
    IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
        () -> ManifestIo.read(other.toString(), new Configuration()));
    assertTrue(version.getMessage().contains("schema version 99"), version.getMessage());
  }

  @Test
  void scalersOfAnUnknownJobNameTheJob() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> manifest(1).scalersOf("nope"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }
}
