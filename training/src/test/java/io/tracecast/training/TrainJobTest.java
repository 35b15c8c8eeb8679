package io.tracecast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.fit.EpochListener;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packed training in local[2] Spark on the real Alibaba fixture. */
class TrainJobTest {
  private static final SparkSession SPARK = TrainingFixtures.spark();
  /** Epochs seen by listeners; tasks run in this JVM under local[2]. */
  private static final Queue<String> EPOCHS = new ConcurrentLinkedQueue<>();

  private static TrainResult train(Path registry, List<String> jobs, int maxEpochs, int patience,
      EpochListener listener) {
    return TrainJob.run(SPARK, new TrainRequest(TrainingFixtures.alibabaDataset(),
        registry.toString(), jobs, TrainingFixtures.settings(1_000_000, maxEpochs, patience, ""),
        listener));
  }

  @Test
  void packsTwoSmallJobsAndPublishesOneVersionEachWithEarlyStoppingMetadata(@TempDir Path tmp) {
    List<String> jobs = TrainingFixtures.smallestJobs(2);
    TrainResult result = train(tmp, jobs, 6, 2, null);
    assertEquals(List.of(), result.failed());
    assertEquals(2, result.published().size());
    ModelRegistry registry = ModelRegistry.open(tmp.toString(), new Configuration());
    Manifest manifest = TrainingFixtures.alibabaManifest();
    for (String job : jobs) {
      JobOutcome o = result.published().stream().filter(p -> p.job().equals(job))
          .findFirst().orElseThrow();
      assertEquals(ExecutionMode.PACKED, o.mode());
      assertEquals(List.of(1), registry.versions(job, "lstm"));
      LoadedModel loaded = registry.load(job, "lstm", VersionRef.LATEST);
      ModelMetadata m = loaded.metadata();
      ModelMetadata.TrainingHistory h = m.history();
      assertTrue(h.epochs().size() >= 1 && h.epochs().size() <= 6, h.toString());
      assertTrue(h.bestEpoch() >= 1 && h.bestEpoch() <= h.epochs().size());
      // stopped by patience 2 or by max epochs, and the best epoch has the lowest val MAE
      assertTrue(h.epochs().size() == 6 || h.epochs().size() - h.bestEpoch() == 2, h.toString());
      double bestMae = h.epochs().get(h.bestEpoch() - 1).validationMae();
      assertTrue(h.epochs().stream().allMatch(e -> e.validationMae() >= bestMae));
      // model space: deltas to the last value in units of the series' mean train step, where
      // persistence (a zero delta) scores about 1; two epochs of a tiny LSTM stay near it
      assertTrue(Double.isFinite(bestMae) && bestMae > 0 && bestMae < 3, "scaled MAE " + bestMae);
      assertTrue(h.samplesPerSecond() > 0 && h.wallSeconds() > 0);
      assertEquals(manifest.fingerprint(), m.datasetFingerprint());
      assertEquals(manifest.features(), m.features());
      assertEquals(manifest.scalersOf(job), m.scalers());
      assertEquals(42, m.spec().training().seed());
      assertEquals(List.of(8), m.spec().units());
      assertEquals(ModelKinds.LSTM, m.spec().kind());
    }
    assertFalse(Files.exists(tmp.resolve("_checkpoints").resolve(jobs.get(0))),
        "checkpoint removed after publishing");
  }

  @Test
  void aFailingJobIsRecordedAndTheOthersArePublished(@TempDir Path tmp) {
    List<String> jobs = TrainingFixtures.smallestJobs(2);
    String doomed = jobs.get(0);
    TrainResult result = train(tmp, jobs, 2, 2, (job, kind, epoch) -> {
      if (job.equals(doomed)) {
        throw new IllegalStateException("injected failure in " + job);
      }
    });
    assertEquals(List.of(doomed + "/lstm"), result.failed().stream().map(JobOutcome::id).toList());
    assertTrue(result.failed().get(0).error().contains("injected failure"));
    assertEquals(List.of(jobs.get(1)), result.published().stream().map(JobOutcome::job).toList());
  }

  @Test
  void aRestartedRunResumesFromTheCheckpointedEpoch(@TempDir Path tmp) {
    String job = TrainingFixtures.smallestJobs(1).get(0);
    TrainResult first = train(tmp, List.of(job), 4, 4, (j, kind, epoch) -> {
      if (epoch == 2) {
        throw new IllegalStateException("injected failure after epoch 2");
      }
    });
    assertEquals(1, first.failed().size());
    EPOCHS.clear();
    TrainResult second = train(tmp, List.of(job), 4, 4,
        (j, kind, epoch) -> EPOCHS.add(j + ":" + epoch));
    assertEquals(List.of(), second.failed());
    assertEquals(List.of(job + ":3", job + ":4"), List.copyOf(EPOCHS),
        "epochs 1 and 2 come from the checkpoint");
    JobOutcome o = second.published().get(0);
    assertEquals(2, o.resumedFromEpoch());
    ModelMetadata m = ModelRegistry.open(tmp.toString(), new Configuration())
        .metadata(job, "lstm", VersionRef.version(1));
    assertEquals(List.of(1, 2, 3, 4),
        m.history().epochs().stream().map(ModelMetadata.Epoch::epoch).toList());
  }
}
