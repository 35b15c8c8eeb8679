package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.mlflow.IntervalArtifact;
import io.tracecast.mlflow.MlflowNames;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry exported to a real MLflow tracking server (PyPI's {@code mlflow}, pinned in
 * tools/requirements-mlflow.txt, SQLite store, proxied artifacts) and read back through MLflow's
 * own Python client: {@code train --mlflow-uri} (mlp and gbt, one epoch, two Alibaba jobs),
 * {@code evaluate --mlflow-uri} (metrics, champion alias), {@code registry export} twice (no
 * duplicates), then a champion moved in tracecast's registry follows in MLflow.
 */
class MlflowExportIT {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."))
      .toAbsolutePath().normalize();
  private static final List<String> JOBS = List.of("m_1932", "m_1933");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exportsVersionsMetricsAndChampionOnceAndMlflowReadsThemBack(@TempDir Path tmp)
      throws Exception {
    long t0 = System.nanoTime();
    Path dataset = tmp.resolve("dataset");
    Path registryDir = tmp.resolve("registry");
    Path report = tmp.resolve("report");
    String[] etl = run("etl", "--source", "alibaba", "--master", "local[2]", "--input",
        PipelineIT.samples(tmp).resolve("alibaba").toString(), "--output", dataset.toString(),
        "--lookback", "6");
    assertEquals("0", etl[0], etl[2]);
    Path conf = Files.writeString(tmp.resolve("fast.conf"), "tracecast.train { max-epochs = 1,"
        + " batch-size = 64, units { mlp = [8, 4] }, gbt { rounds = 5 } }\n");

    try (MlflowServer mlflow = MlflowServer.start(ROOT, tmp.resolve("mlflow"))) {
      String[] mlflowFlags = {"--mlflow-uri", mlflow.uri};
      String[] train = echo(run(concat(new String[] {"train", "--dataset", dataset.toString(),
          "--registry", registryDir.toString(), "--models", "mlp,gbt", "--conf", conf.toString(),
          "--master", "local[2]"}, mlflowFlags)));
      assertEquals("0", train[0], train[1] + train[2]);
      assertTrue(train[1].contains("4 versions (4 created, 0 already there)"), train[1]);
      assertTrue(train[1].contains("mlflow created m_1932/mlp/v1 -> tracecast.m_1932.mlp "
          + "version 1"), train[1]);

      String[] evaluate = echo(run(concat(new String[] {"evaluate", "--dataset", dataset.toString(),
          "--registry", registryDir.toString(), "--report", report.toString(),
          "--master", "local[2]"}, mlflowFlags)));
      assertEquals("0", evaluate[0], evaluate[1] + evaluate[2]);
      ModelRegistry registry = ModelRegistry.open(registryDir.toString(), new Configuration());
      int versions = registry.list().size(); // 4, plus a baseline or ensemble champion each
      Map<String, Map<String, Double>> testMae = trainedTestMae(report);
      assertEquals(2 * JOBS.size(), testMae.values().stream().mapToInt(Map::size).sum());
      assertTrue(evaluate[1].contains(versions + " versions (" + (versions - 4) + " created, 4 "
          + "already there)"), evaluate[1]);
      assertTrue(evaluate[1].contains(JOBS.size() + " aliases set, 0 removed"), evaluate[1]);
      // evaluate calibrated every version it scored after train exported them
      assertTrue(evaluate[1].contains("interval calibration attached to " + versions
          + " versions now, 0 had it already"), evaluate[1]);

      // exporting again, twice, adds nothing
      for (int i = 0; i < 2; i++) {
        String[] export = echo(run(concat(new String[] {"registry", "export", "--registry",
            registryDir.toString(), "--report", report.toString()}, mlflowFlags)));
        assertEquals("0", export[0], export[1] + export[2]);
        assertTrue(export[1].contains(versions + " versions (0 created, " + versions
            + " already there), 0 evaluations logged"), export[1]);
        assertTrue(export[1].contains("0 aliases set, 0 removed"), export[1]);
        assertTrue(export[1].contains("interval calibration attached to 0 versions now, "
            + versions + " had it already"), export[1]);
      }

      // a champion moved in tracecast moves in MLflow: set on the new model, off the old one
      ModelVersion old = registry.aliases("m_1932").get("champion");
      String newModel = old.model().equals("gbt") ? "mlp" : "gbt";
      registry.setAlias("m_1932", "champion", newModel, 1);
      String[] moved = echo(run(concat(new String[] {"registry", "export", "--registry",
          registryDir.toString(), "--job", "m_1932"}, mlflowFlags)));
      assertEquals("0", moved[0], moved[1] + moved[2]);
      assertTrue(moved[1].contains("1 aliases set, 1 removed"), moved[1]);
      assertTrue(moved[1].contains("mlflow alias removed tracecast.m_1932." + old.model()
          + "@champion"), moved[1]);

      JsonNode back = JSON.readTree(mlflow.runPython(
          ROOT.resolve("cli/src/test/python/read_mlflow_export.py"), mlflow.uri, "tracecast"));
      assertEquals(pinnedMlflow(), back.get("mlflow").asText(), "the pinned server and client");
      assertEquals(versions, back.get("runs").asInt(), "one run per version, none twice");
      checkReadBack(back, registry, testMae);
    }
    System.out.printf("MlflowExportIT: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /** What MLflow's own client reads matches tracecast's registry and report. */
  private static void checkReadBack(JsonNode back, ModelRegistry registry,
      Map<String, Map<String, Double>> testMae) {
    Map<String, List<ModelVersion>> expected = new HashMap<>();
    for (ModelVersion v : registry.list()) {
      expected.computeIfAbsent(MlflowNames.registeredModel("tracecast", v.job(), v.model()),
          k -> new java.util.ArrayList<>()).add(v);
    }
    Set<String> names = new TreeSet<>();
    back.get("models").forEach(m -> names.add(m.get("name").asText()));
    assertEquals(new TreeSet<>(expected.keySet()), names);
    Set<String> champions = new HashSet<>();
    for (JsonNode m : back.get("models")) {
      String name = m.get("name").asText();
      List<ModelVersion> vs = expected.get(name);
      String job = vs.get(0).job();
      assertEquals(job, m.get("tags").get("tracecast.job").asText());
      assertEquals(registry.root(), m.get("tags").get("tracecast.registry").asText());
      assertEquals(vs.size(), m.get("versions").size(), name + " has no duplicate versions");
      ModelVersion champion = registry.aliases(job).get("champion");
      for (int i = 0; i < vs.size(); i++) {
        checkVersion(m.get("versions").get(i), vs.get(i), registry, testMae);
      }
      if (champion.model().equals(vs.get(0).model())) {
        champions.add(job);
        // MLflow's numbers follow tracecast's here: every version was exported in order
        assertEquals(Integer.toString(champion.version()),
            m.get("aliases").get("champion").asText(), name);
        JsonNode download = m.get("champion_download");
        assertEquals(0, download.get("bad").size(), download.toString());
        assertTrue(download.get("verified").toString().contains("metadata.json"),
            download.toString());
        assertEquals(download.get("files").size() - 1, download.get("verified").size(),
            "every file but checksums.sha256 itself verified: " + download);
      } else {
        assertFalse(m.get("aliases").has("champion"), name + " " + m.get("aliases"));
      }
    }
    assertEquals(new TreeSet<>(JOBS), new TreeSet<>(champions), "one champion alias per job");
  }

  private static void checkVersion(JsonNode mv, ModelVersion v, ModelRegistry registry,
      Map<String, Map<String, Double>> testMae) {
    String id = v.job() + "/" + v.model() + "/v" + v.version();
    ModelMetadata meta = registry.metadata(v);
    assertEquals(id, mv.get("tags").get("tracecast.version_id").asText());
    assertEquals("runs:/" + mv.get("run_id").asText() + "/model", mv.get("source").asText());
    assertEquals("FINISHED", mv.get("run_status").asText(), id);
    JsonNode runTags = mv.get("run_tags");
    assertEquals(meta.datasetFingerprint(), runTags.get("tracecast.dataset_fingerprint")
        .asText());
    assertEquals(v.path(), runTags.get("tracecast.path").asText());
    assertEquals(meta.family().id(), mv.get("params").get("family").asText());
    assertEquals("6", mv.get("params").get("shape.lookback").asText(), id);
    Set<String> artifacts = new TreeSet<>();
    mv.get("artifacts").forEach(a -> artifacts.add(a.asText()));
    Set<String> files = new TreeSet<>();
    registry.files(v).forEach(f -> files.add("model/" + f));
    assertEquals(files, artifacts, id);
    if (v.model().equals("mlp")) {
      assertTrue(artifacts.contains("model/model.zip"), artifacts.toString());
      assertEquals(meta.history().epochs().size(), mv.get("train_loss_points").asInt());
    }
    // the version's own calibration, as the export's reader gives it, byte for byte parsed
    IntervalArtifact intervals = IntervalArtifact.of(registry, v, meta).orElseThrow(
        () -> new AssertionError(id + " has no interval calibration"));
    try {
      assertEquals(JSON.readTree(intervals.json()), mv.get("intervals").get(intervals.path()),
          id);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals(1, mv.get("intervals").size(), id + ": " + mv.get("intervals"));
    assertEquals(intervals.sha256(), runTags.get(IntervalArtifact.TAG_SHA256).asText(), id);
    Double mae = testMae.getOrDefault(v.job(), Map.of()).get(v.model());
    if (mae != null) {
      assertEquals(1, mv.get("test_mae_points").asInt(), id + ": one evaluation, logged once");
      assertEquals(mae, mv.get("metrics").get("test/mae").asDouble(), Math.abs(mae) * 1e-12,
          id);
    }
  }

  /** Test MAE by job and trained model, from the report's comparison.csv (its own writer). */
  private static Map<String, Map<String, Double>> trainedTestMae(Path report) throws Exception {
    List<String> lines = Files.readAllLines(report.resolve("comparison.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String job = f[header.indexOf("job")];
      String model = f[header.indexOf("model")];
      if (JOBS.contains(job) && List.of("mlp", "gbt").contains(model)) {
        out.computeIfAbsent(job, k -> new HashMap<>())
            .put(model, Double.parseDouble(f[header.indexOf("mae")]));
      }
    }
    assertNotNull(out.get("m_1932"), lines.toString());
    return out;
  }

  /** The version tools/requirements-mlflow.txt pins. */
  private static String pinnedMlflow() throws java.io.IOException {
    return Files.readAllLines(ROOT.resolve(MlflowServer.REQUIREMENTS)).stream()
        .filter(l -> l.startsWith("mlflow==")).map(l -> l.substring("mlflow==".length()).strip())
        .findFirst().orElseThrow();
  }

  /** The export's lines of a command's output, echoed into the build log. */
  private static String[] echo(String[] r) {
    r[1].lines().filter(l -> l.startsWith("mlflow ")).forEach(System.out::println);
    return r;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
