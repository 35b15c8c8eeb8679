package io.tracecast.training;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import io.tracecast.training.run.WindowRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mlp_global} through TrainJob in local[2] Spark on the real Alibaba fixture: one network
 * over three jobs' windows, published under each, beside the per-job {@code mlp}; and
 * {@code mlp_global_tuned}, that network fine-tuned on each job (its request alone makes the run
 * train and publish the global network it starts from).
 */
class GlobalNetworkTrainingTest {
  private static final SparkSession SPARK = TrainingFixtures.spark();
  private static List<String> jobs;
  private static Path registryDir;
  private static TrainResult result;

  @BeforeAll
  static void trainOnce() throws Exception {
    jobs = TrainingFixtures.smallestJobs(3);
    registryDir = Files.createTempDirectory("tracecast-global-registry");
    TrainSettings settings = TrainingFixtures.settings(
        TrainingFixtures.kinds("mlp,mlp_global_tuned"), 1_000_000, 3, 2, "",
        NetworkOverrides.none().withUnits(ModelKinds.MLP, List.of(16, 8)));
    result = TrainJob.run(SPARK, new TrainRequest(TrainingFixtures.alibabaDataset(),
        registryDir.toString(), jobs, settings));
  }

  private static ModelRegistry registry() {
    return ModelRegistry.open(registryDir.toString(), new Configuration());
  }

  private static List<WindowRow> validation(DatasetReader reader, List<String> of) {
    return reader.encodedWindows(SPARK, Split.VALIDATION, of)
        .withColumn(WindowRow.VALIDATION, lit(true)).collectAsList().stream()
        .map(WindowRow::from).toList();
  }

  @Test
  void everyJobGetsTheSameGlobalNetworkWithTheJobsItWasPooledOver() {
    assertEquals(List.of(), result.failed());
    ModelRegistry reg = registry();
    LoadedModel first = reg.load(jobs.get(0), "mlp_global", VersionRef.LATEST);
    for (String job : jobs) {
      assertTrue(result.published().stream().anyMatch(o -> o.job().equals(job)
          && o.model().equals("mlp_global") && o.mode() == ExecutionMode.PACKED),
          job + " in " + result.published());
      LoadedModel m = reg.load(job, "mlp_global", VersionRef.LATEST);
      assertEquals(first.network().params(), m.network().params(), job);
      assertEquals(jobs.stream().sorted().toList(), m.metadata().lineage().pooledOver());
      assertEquals(ModelKinds.MLP, m.metadata().spec().kind());
      assertEquals(job, m.metadata().job());
    }
  }

  @Test
  void theGlobalNetworkIsValidatedOnEveryJobsWindowsNotOneJobs() {
    ModelRegistry reg = registry();
    DatasetReader reader = DatasetReader.open(SPARK, TrainingFixtures.alibabaDataset());
    LoadedModel global = reg.load(jobs.get(0), "mlp_global", VersionRef.LATEST);
    ModelMetadata.TrainingHistory h = global.metadata().history();
    double recorded = h.epochs().get(h.bestEpoch() - 1).validationMae();
    // recomputed here from the published network over the union of the three jobs' windows
    double pooled = TrainingFixtures.mae(global, validation(reader, jobs));
    assertEquals(pooled, recorded, 1e-4 * Math.max(1, pooled));
    double oneJob = TrainingFixtures.mae(global, validation(reader, List.of(jobs.get(0))));
    assertNotEquals(oneJob, recorded, 1e-4 * Math.max(1, oneJob), "validated on one job only");
    // the per-job network of the same run is another network, trained on its job alone
    LoadedModel own = reg.load(jobs.get(0), "mlp", VersionRef.LATEST);
    assertNotEquals(own.network().params(), global.network().params());
    assertTrue(own.metadata().lineage().pooledOver() == null
        || own.metadata().lineage().pooledOver().isEmpty());
  }

  @Test
  void aTunedGlobalNetworkStartsFromItsJobsGlobalNetworkAndIsNeverWorseOnItsValidation() {
    assertEquals(List.of(), result.failed());
    ModelRegistry reg = registry();
    DatasetReader reader = DatasetReader.open(SPARK, TrainingFixtures.alibabaDataset());
    int tunedKept = 0;
    for (String job : jobs) {
      LoadedModel tuned = reg.load(job, "mlp_global_tuned", VersionRef.LATEST);
      Lineage.FineTuned fineTuned = tuned.metadata().lineage().fineTuned();
      assertEquals(new Lineage.Start(job, "mlp_global", 1), fineTuned.startedFrom());
      LoadedModel global = reg.load(job, "mlp_global", VersionRef.version(1));
      List<WindowRow> own = validation(reader, List.of(job));
      double globalMae = TrainingFixtures.mae(global, own);
      double tunedMae = TrainingFixtures.mae(tuned, own);
      // compared on the job's own windows (not the pooled ones the global network stopped on)
      assertEquals(globalMae, fineTuned.patternValidationMae(), 1e-4 * Math.max(1, globalMae));
      assertTrue(tunedMae <= globalMae + 1e-6, job + ": tuned " + tunedMae + " > global "
          + globalMae);
      if (fineTuned.kept().equals("tuned")) {
        tunedKept++;
        assertNotEquals(global.network().params(), tuned.network().params());
        assertEquals(tunedMae, fineTuned.tunedValidationMae(), 1e-4 * Math.max(1, tunedMae));
      } else {
        assertEquals("global", fineTuned.kept());
        assertEquals(global.network().params(), tuned.network().params());
      }
      // the tuned version keeps the global one's lineage: the jobs it was pooled over
      assertEquals(jobs.stream().sorted().toList(), tuned.metadata().lineage().pooledOver());
    }
    // a few epochs on a job's own windows at a lower rate improve at least one of three jobs
    assertTrue(tunedKept > 0, "fine-tuning never kept");
  }
}
