package io.tracecast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import io.tracecast.training.tune.Trial;
import io.tracecast.training.tune.TuneData;
import io.tracecast.training.tune.TuneSettings;
import io.tracecast.training.tune.TuneSettingsParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real search on one small Alibaba-sample job: trials are Spark tasks training MLPs. */
class TuneJobTest {
  @TempDir
  Path tmp;

  private static TuneSettings tune(int trials) {
    return TuneSettingsParser.parse(ConfigFactory.parseString("""
        tracecast.tune { trials = %d, parallelism = 2, seed = 5,
          pruner { warmup-epochs = 2, min-reference-trials = 2 },
          space.default.lookback { type = int, min = 2, max = 6 } }
        """.formatted(trials)).withFallback(ConfigFactory.parseFile(Path.of(
        System.getProperty("tracecast.root", ".."), "conf", "application.conf").toFile()))
        .resolve());
  }

  @Test
  void theTunedModelIsNoWorseThanTheDefaultOnValidationAndAResumedRunRepeatsNoTrial() {
    String job = TrainingFixtures.smallestJobs(1).get(0);
    String registry = tmp.resolve("registry").toString();
    TrainSettings train = TrainSettings.defaults(TrainingFixtures.kinds("mlp"))
        .withExecution(1_000_000, 2, 1, tmp.resolve("checkpoints").toString())
        .withOverrides(NetworkOverrides.none().withEpochs(6, 3));
    TuneRequest request = new TuneRequest(TrainingFixtures.alibabaDataset(), registry,
        List.of(job), List.of(ModelKinds.MLP), train, tune(5));

    TuneOutcome first = TuneJob.run(TrainingFixtures.spark(), request).get(0);
    assertNull(first.error());
    assertEquals(5, first.trials().size());
    Trial defaults = first.defaultTrial().orElseThrow();
    Trial winner = first.winner().orElseThrow();
    assertTrue(winner.objective() <= defaults.objective(),
        winner.objective() + " vs default " + defaults.objective());
    assertEquals(1, first.version());

    // The published network scores the winner's objective on the validation windows again.
    ModelRegistry reg = ModelRegistry.open(registry, TrainingFixtures.spark().sparkContext()
        .hadoopConfiguration());
    ModelMetadata meta = reg.metadata(job, "mlp_hpo", VersionRef.LATEST);
    assertEquals(first.winnerSpec(), meta.spec());
    Lineage.Search search = meta.lineage().search();
    assertEquals(5, search.trials().size());
    assertEquals(winner.number(), search.winner().get("number"));
    assertEquals(defaults.objective(), search.defaultValidationMae(), 0);
    assertEquals(Map.of(), meta.params(), "a network's params are empty: lineage is typed");
    TuneData data = TuneData.collect(TrainingFixtures.spark(),
        io.tracecast.etl.dataset.DatasetReader.open(TrainingFixtures.spark(),
            TrainingFixtures.alibabaDataset()), job);
    double rescored = data.originalMae(reg.load(job, "mlp_hpo", VersionRef.LATEST).network(),
        meta.spec(), meta.shape());
    assertEquals(winner.objective(), rescored, 1e-6);

    // A second run with a larger budget continues from the log: only the new trials run.
    TuneOutcome second = TuneJob.run(TrainingFixtures.spark(), new TuneRequest(
        request.dataset(), registry, List.of(job), List.of(ModelKinds.MLP), train, tune(7)))
        .get(0);
    assertEquals(7, second.trials().size());
    for (int i = 0; i < 5; i++) {
      assertEquals(first.trials().get(i).objective(), second.trials().get(i).objective(), 0,
          "trial " + i + " was not run again");
      assertEquals(first.trials().get(i).seconds(), second.trials().get(i).seconds(), 0);
    }
    assertEquals(2, second.version());
  }
}
