package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --seeds 3} on the fixture's dataset, then evaluate: three MLP versions with seeds
 * 42, 43, 44, each scored, and each row's spread over seeds recomputed here from the three rows'
 * own MAE over persistence's with Student's t for two degrees of freedom written out.
 */
class SeedSpreadTest {
  /** t(0.975, 2), from a table. */
  private static final double T_975_2 = 4.302652729911275;

  @TempDir
  Path tmp;

  @Test
  void trainsEachNetworkOncePerSeedAndReportsTheSpreadOverSeeds() throws Exception {
    EvaluationFixture f = EvaluationFixture.get();
    String registry = tmp.resolve("registry").toString();
    TrainResult trained = TrainJob.run(EvaluationFixture.spark(), new TrainRequest(f.dataset,
        registry, List.of(EvaluationFixture.JOB),
        TrainSettings.defaults(List.of(ModelKinds.parse("mlp")))
            .withExecution(1_000_000, 2, 1, "")
            .withOverrides(NetworkOverrides.none().withEpochs(2, 2).withBatch(32, 0.01)
                .withUnits(ModelKinds.MLP, List.of(8, 4)))
            .withSeeds(3)));
    assertEquals(3, trained.published().size(), trained.failed().toString());
    ModelRegistry reg = ModelRegistry.open(registry, new Configuration());
    List<Long> seeds = new ArrayList<>();
    for (ModelVersion v : reg.list()) {
      seeds.add(reg.metadata(v).spec().training().seed());
    }
    assertEquals(List.of(42L, 43L, 44L), seeds, "one version per seed, the seed in its spec");

    Path report = tmp.resolve("report");
    EvaluationResult evaluated = EvaluateJob.run(EvaluationFixture.spark(), new EvaluateRequest(
        f.dataset, registry, report.toString(), List.of(EvaluationFixture.JOB), f.settings));
    List<String> lines = Files.readAllLines(report.resolve("comparison.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    Map<Integer, String[]> mlp = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] r = line.split(",", -1);
      if (r[header.indexOf("job")].equals(EvaluationFixture.JOB)
          && r[header.indexOf("model")].equals("mlp")) {
        mlp.put(Integer.parseInt(r[header.indexOf("version")]), r);
      }
    }
    assertEquals(java.util.Set.of(1, 2, 3), mlp.keySet(), "every seed's version is scored");
    double[] ratio = new double[3];
    for (int v = 1; v <= 3; v++) {
      ratio[v - 1] = Double.parseDouble(mlp.get(v)[header.indexOf("mae_vs_persistence")]);
    }
    double mean = (ratio[0] + ratio[1] + ratio[2]) / 3;
    double ss = 0;
    for (double r : ratio) {
      ss += (r - mean) * (r - mean);
    }
    double halfWidth = T_975_2 * Math.sqrt(ss / 2) / Math.sqrt(3);
    for (String[] r : mlp.values()) {
      assertEquals("3", r[header.indexOf("seeds")]);
      assertEquals(mean, Double.parseDouble(r[header.indexOf("seed_mae_vs_persistence_mean")]),
          1e-12);
      assertEquals(halfWidth,
          Double.parseDouble(r[header.indexOf("seed_mae_vs_persistence_ci95")]), 1e-9);
    }
    assertTrue(Files.readString(report.resolve("comparison.md"))
        .contains("vs persistence over seeds"));

    // the champion is still the lowest validation MAE of all candidates, seeds included
    Champion champion = evaluated.report().champions().get(EvaluationFixture.JOB);
    double best = evaluated.report().jobScores().stream()
        .filter(s -> s.job().equals(EvaluationFixture.JOB) && Double.isFinite(s.validationMae()))
        .mapToDouble(ModelScore::validationMae).min().orElseThrow();
    assertEquals(best, champion.value(), 0.0);
  }
}
