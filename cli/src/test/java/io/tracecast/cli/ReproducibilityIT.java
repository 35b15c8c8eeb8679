package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.ManifestIo;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same data, configuration and seed, same results: ETL -> train (packed, CPU: an MLP and a GRU,
 * two epochs) -> evaluate, twice from scratch, gives the same dataset fingerprint and counts and
 * the same validation and test metrics to 1e-6. Parameter averaging (the data-parallel path) is
 * not held to that; its run-to-run spread of validation MAE is measured and printed
 * (training/README.md "Reproducibility").
 */
class ReproducibilityIT {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));
  private static final String JOB = "2013-7";
  private static final List<String> MODELS = List.of("mlp", "gru");
  private static final int ROWS_PER_VM = 600;
  private static final double TOLERANCE = 1e-6;
  private static final int AVERAGING_RUNS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static Path samples;
  static Path conf;

  @BeforeAll
  static void samples() throws IOException {
    samples = tmp.resolve("samples");
    PipelineIT.bitbrainsHead(samples, ROWS_PER_VM);
    conf = Files.writeString(tmp.resolve("repro.conf"), String.join("\n",
        "tracecast.etl.lookback = 6",
        "tracecast.train { max-epochs = 2, patience = 2, batch-size = 32,",
        "  learning-rate = 0.01, units { mlp = [8, 4], gru = [8] } }",
        "tracecast.evaluate.baselines = [persistence]", ""));
  }

  @Test
  void packedPipelineGivesTheSameFingerprintCountsAndMetricsTwice() throws IOException {
    Path a = pipeline(tmp.resolve("a"));
    Path b = pipeline(tmp.resolve("b"));
    Manifest ma = ManifestIo.read(a.resolve("dataset").toString(), new Configuration());
    Manifest mb = ManifestIo.read(b.resolve("dataset").toString(), new Configuration());
    assertEquals(ma.fingerprint(), mb.fingerprint());
    assertEquals(ma.counts(), mb.counts());
    for (String model : MODELS) {
      List<ModelMetadata.Epoch> ea = history(a, model);
      List<ModelMetadata.Epoch> eb = history(b, model);
      assertEquals(2, ea.size(), model + " epochs");
      for (int i = 0; i < ea.size(); i++) {
        assertEquals(ea.get(i).validationMae(), eb.get(i).validationMae(), TOLERANCE,
            model + " validation MAE, epoch " + (i + 1));
        assertEquals(ea.get(i).validationLoss(), eb.get(i).validationLoss(), TOLERANCE,
            model + " validation loss, epoch " + (i + 1));
      }
    }
    JsonNode sa = scores(a);
    JsonNode sb = scores(b);
    assertTrue(sa.size() >= MODELS.size() + 1, "every model scored: " + sa);
    assertClose("jobScores", sa, sb);
    assertClose("champions", champions(a), champions(b));
  }

  @Test
  void parameterAveragingVariesLittleFromRunToRun() throws IOException {
    Path dataset = tmp.resolve("averaging-dataset");
    ok(run("etl", "--source", "bitbrains", "--input", samples.resolve("bitbrains").toString(),
        "--output", dataset.toString(), "--conf", conf.toString(), "--master", "local[2]"));
    // every job data-parallel: 2 workers, averaging as configured (averaging-frequency)
    Path averaging = Files.writeString(tmp.resolve("averaging.conf"), Files.readString(conf)
        + "tracecast.train.data-parallel-min-windows = 1\n"
        + "tracecast.train.data-parallel-efficiency = 1\n");
    List<Double> maes = new ArrayList<>();
    for (int i = 0; i < AVERAGING_RUNS; i++) {
      Path registry = tmp.resolve("averaging-registry-" + i);
      String[] r = run("train", "--dataset", dataset.toString(), "--registry",
          registry.toString(), "--models", "mlp", "--conf", averaging.toString(), "--master",
          "local[2]");
      ok(r);
      assertTrue(r[1].contains("(data_parallel,"), "trained data-parallel: " + r[1]);
      List<ModelMetadata.Epoch> h = ModelRegistry.open(registry.toString(), new Configuration())
          .metadata(JOB, "mlp", VersionRef.version(1)).history().epochs();
      maes.add(h.get(h.size() - 1).validationMae());
    }
    double min = maes.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = maes.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double mean = maes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    System.out.printf(Locale.ROOT, "parameter averaging, %d runs, validation MAE %s: spread "
        + "%.3g (%.2f%% of the mean %.5f)%n", AVERAGING_RUNS, maes, max - min,
        100 * (max - min) / mean, mean);
    assertTrue(maes.stream().allMatch(m -> Double.isFinite(m) && m > 0), maes.toString());
    // Only the order of the aggregate's float sums differs between runs: measured 1.6e-6 of the
    // mean (training/README). 1e-3 leaves room for other machines and still fails when anything
    // else (seeds, data order, partitioning) starts to differ between runs.
    assertTrue((max - min) / mean < 1e-3, "spread " + maes);
  }

  /** etl -> train -> evaluate into {@code dir}. */
  private static Path pipeline(Path dir) {
    String dataset = dir.resolve("dataset").toString();
    String registry = dir.resolve("registry").toString();
    ok(run("etl", "--source", "bitbrains", "--input", samples.resolve("bitbrains").toString(),
        "--output", dataset, "--conf", conf.toString(), "--master", "local[2]"));
    ok(run("train", "--dataset", dataset, "--registry", registry, "--models",
        String.join(",", MODELS), "--conf", conf.toString(), "--master", "local[2]"));
    ok(run("evaluate", "--dataset", dataset, "--registry", registry, "--report",
        dir.resolve("report").toString(), "--conf", conf.toString(), "--master", "local[2]"));
    return dir;
  }

  private static List<ModelMetadata.Epoch> history(Path dir, String model) {
    return ModelRegistry.open(dir.resolve("registry").toString(), new Configuration())
        .metadata(JOB, model, VersionRef.version(1)).history().epochs();
  }

  private static JsonNode scores(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("report/report.json").toFile()).get("jobScores");
  }

  private static JsonNode champions(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("report/report.json").toFile()).get("champions");
  }

  /** Equal trees, numbers to {@link #TOLERANCE}, measured timings skipped. */
  private static void assertClose(String path, JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      assertEquals(a.doubleValue(), b.doubleValue(), TOLERANCE, path);
    } else if (a.isObject()) {
      assertEquals(iterable(a.fieldNames()), iterable(b.fieldNames()), path);
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!List.of("latencyMicrosPerWindow", "windowsPerSecond").contains(e.getKey())) {
          assertClose(path + "." + e.getKey(), e.getValue(), b.get(e.getKey()));
        }
      }
    } else if (a.isArray()) {
      assertEquals(a.size(), b.size(), path);
      for (int i = 0; i < a.size(); i++) {
        assertClose(path + "[" + i + "]", a.get(i), b.get(i));
      }
    } else if (!a.equals(b)) {
      fail(path + ": " + a + " vs " + b);
    }
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static void ok(String[] r) {
    assertEquals("0", r[0], r[1] + r[2]);
  }
}
