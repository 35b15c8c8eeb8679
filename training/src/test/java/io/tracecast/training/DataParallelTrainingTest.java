package io.tracecast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter averaging with SparkComputationGraph in local[2] (two workers). */
class DataParallelTrainingTest {
  @Test
  void parameterAveragingOnTwoWorkersTrainsAndTheLossFalls(@TempDir Path tmp) {
    // the largest fixture job, sent data-parallel by a threshold of 1 window
    String job = TrainingFixtures.alibabaManifest().jobs().stream()
        .max(java.util.Comparator.comparingLong(TrainingFixtures::trainWindows)).orElseThrow();
    TrainResult result = TrainJob.run(TrainingFixtures.spark(), new TrainRequest(
        TrainingFixtures.alibabaDataset(), tmp.toString(), List.of(job),
        TrainingFixtures.settings(1, 4, 4, "")));
    assertEquals(List.of(), result.failed());
    JobOutcome o = result.published().get(0);
    assertEquals(ExecutionMode.DATA_PARALLEL, o.mode());
    ModelMetadata.TrainingHistory h = ModelRegistry.open(tmp.toString(), new Configuration())
        .metadata(job, "lstm", VersionRef.LATEST).history();
    assertEquals(4, h.epochs().size(), h.toString());
    // Validation loss is over every validation window; the train loss DL4J reports is the last
    // averaging round's, so noisier: the best later epoch must beat the first.
    double firstVal = h.epochs().get(0).validationLoss();
    double lastVal = h.epochs().get(3).validationLoss();
    assertTrue(Double.isFinite(firstVal), h.toString());
    assertTrue(lastVal < 0.9 * firstVal, "val loss " + firstVal + " -> " + lastVal);
    double firstTrain = h.epochs().get(0).trainLoss();
    double laterTrain = h.epochs().subList(1, 4).stream()
        .mapToDouble(ModelMetadata.Epoch::trainLoss).min().orElseThrow();
    assertTrue(laterTrain < firstTrain, "train loss " + firstTrain + " -> " + laterTrain);
  }
}
