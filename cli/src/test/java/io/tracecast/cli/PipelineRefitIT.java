package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.BacktestFold;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.ManifestIo;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline --refit --folds 2} on the first 400 rows of Bitbrains VMs 1 and 2 (one job),
 * an MLP of two epochs: the normal run as always, then per fold a dataset, a registry trained on
 * it and a report, and the backtest table beside the normal report.
 */
class PipelineRefitIT {
  @Test
  void backtestsEachFoldOnModelsTrainedOnThatFoldsDataset(@TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path samples = tmp.resolve("samples");
    PipelineIT.bitbrainsHead(samples, 400);
    java.nio.file.Path work = tmp.resolve("work");
    java.nio.file.Path reports = tmp.resolve("reports");
    java.nio.file.Path conf = Files.writeString(tmp.resolve("fast.conf"), String.join("\n",
        "tracecast.etl.lookback = 6",
        "tracecast.pipeline.train { max-epochs = 2, patience = 2, batch-size = 64,",
        "  learning-rate = 0.01, units { mlp = [8, 4] } }", ""));

    String[] r = run("pipeline", "--samples", samples.toString(), "--sources", "bitbrains",
        "--work", work.toString(), "--reports", reports.toString(), "--models", "mlp",
        "--folds", "2", "--refit", "--conf", conf.toString(), "--master", "local[2]");
    assertEquals("0", r[0], r[1] + r[2]);

    Configuration hadoop = new Configuration();
    Manifest normal = ManifestIo.read(work.resolve("datasets/bitbrains").toString(), hadoop);
    assertTrue(normal.backtestFold().isEmpty(), "the normal dataset is no fold");
    Set<String> fingerprints = new HashSet<>(List.of(normal.fingerprint()));
    Instant normalTestStart = Instant.parse(normal.series().get(0).validationEnd());
    Instant previousEnd = normalTestStart;
    for (int k = 0; k < 2; k++) {
      Manifest m = ManifestIo.read(RefitBacktest.dataset(work.toString(), k, "bitbrains"),
          hadoop);
      assertEquals(new BacktestFold(k, 2), m.backtestFold().orElseThrow());
      assertTrue(fingerprints.add(m.fingerprint()), "fold " + k + " has its own fingerprint");
      // fold k's test window starts where the previous one ended: the folds tile the test split
      Instant testStart = Instant.parse(m.series().get(0).validationEnd());
      assertEquals(previousEnd, testStart, "fold " + k);
      previousEnd = Instant.parse(m.series().get(0).end()).plusSeconds(m.stepSeconds());
      ModelRegistry registry = ModelRegistry.open(
          RefitBacktest.registry(work.toString(), k, "bitbrains"), hadoop);
      List<ModelVersion> versions = registry.list();
      assertFalse(versions.isEmpty(), "fold " + k + " trained models");
      for (ModelVersion v : versions) {
        assertEquals(m.fingerprint(), registry.metadata(v).datasetFingerprint(),
            "fold " + k + " " + v + " was trained on the fold's dataset");
      }
      assertTrue(Files.exists(reports.resolve("bitbrains/backtest/fold-" + k + "/report.json")));
    }
    assertEquals(Instant.parse(normal.series().get(0).end()).plusSeconds(normal.stepSeconds()),
        previousEnd, "the last fold ends with the series");

    String md = Files.readString(reports.resolve("bitbrains/backtest.md"));
    assertTrue(md.contains("| model | fold 0 | fold 1 | refit: mean ± 95 % |"), md);
    assertTrue(md.contains("| mlp"), md);
    List<String> csv = Files.readAllLines(reports.resolve("bitbrains/backtest.csv"));
    assertTrue(csv.get(0).startsWith("job,model,refit_fold_0,refit_fold_1,refit_mean,"),
        csv.get(0));
    assertTrue(Files.readString(reports.resolve("summary.md"))
        .contains("Backtest with refitting of bitbrains (2 folds"));
    assertTrue(Files.exists(reports.resolve("bitbrains/comparison.md")), "normal report kept");
  }
}
