package io.tracecast.training;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.config.PatternSettings;
import io.tracecast.training.config.PooledSettings;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.pattern.PatternClustering;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import io.tracecast.training.run.WindowRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gbt_pattern, mlp_pattern and mlp_tuned through TrainJob in local[2] Spark on the real Alibaba
 * fixture: one run for the whole class (two fixed patterns over the dataset's ten machines,
 * four of them trained).
 */
class PatternTrainingTest {
  private static final SparkSession SPARK = TrainingFixtures.spark();
  private static final PatternSettings PATTERNS = new PatternSettings(Optional.of(2), 6, 7);
  private static final GbtSpec GBT =
      new GbtSpec(60, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 10, "reg:absoluteerror", "recursive",
          List.of(), 42);
  private static List<String> jobs;
  private static Path registryDir;
  private static TrainResult result;

  @BeforeAll
  static void trainOnce() throws Exception {
    jobs = TrainingFixtures.smallestJobs(4);
    registryDir = Files.createTempDirectory("tracecast-pattern-registry");
    TrainSettings settings = TrainingFixtures.settings(1_000_000, 4, 2, "")
        .withGbt(GBT)
        .withPooled(new PooledSettings(PATTERNS, 3, 0.3))
        .withModels(TrainingFixtures.kinds("gbt_pattern,mlp_tuned"));
    result = TrainJob.run(SPARK, new TrainRequest(TrainingFixtures.alibabaDataset(),
        registryDir.toString(), jobs, settings));
  }

  private static ModelRegistry registry() {
    return ModelRegistry.open(registryDir.toString(), new Configuration());
  }

  private static PatternModel stored() {
    String fp = TrainingFixtures.alibabaManifest().fingerprint();
    return PatternModel.fromJson(registry().patterns(fp).orElseThrow());
  }

  @Test
  void everyJobGetsThePatternGbtThePatternNetworkAndATunedNetwork() {
    assertEquals(List.of(), result.failed());
    for (String job : jobs) {
      for (String model : List.of("gbt_pattern", "mlp_pattern", "mlp_tuned")) {
        assertTrue(result.published().stream().anyMatch(o -> o.job().equals(job)
            && o.model().equals(model)), job + "/" + model + " in " + result.published());
      }
    }
    assertEquals(jobs.size() * 3, result.published().size());
  }

  @Test
  void thePatternModelIsStoredOncePerDatasetAndReadsBackAsClustered() throws Exception {
    ModelRegistry reg = registry();
    assertEquals(List.of(TrainingFixtures.alibabaManifest().fingerprint()),
        reg.patternFingerprints());
    try (var dirs = Files.list(registryDir.resolve("_patterns"))) {
      assertEquals(1, dirs.count());
    }
    // an independent clustering of the same dataset with the same settings (seeded KMeans)
    PatternModel again = PatternClustering.fit(SPARK,
        List.of(DatasetReader.open(SPARK, TrainingFixtures.alibabaDataset())), PATTERNS);
    assertEquals(again, stored());
    assertEquals(2, stored().k());
  }

  @Test
  void pooledVersionsArePublishedForEveryMemberJobWithTheirPatternsLineage() {
    PatternModel patterns = stored();
    ModelRegistry reg = registry();
    for (String job : jobs) {
      int p = patterns.patternOf("alibaba", job);
      List<String> members = jobs.stream().filter(j -> patterns.patternOf("alibaba", j) == p)
          .sorted().toList();
      for (String model : List.of("gbt_pattern", "mlp_pattern")) {
        ModelMetadata m = reg.metadata(job, model, VersionRef.LATEST);
        assertEquals(model.startsWith("gbt") ? ModelFamily.GBT : ModelFamily.NETWORK,
            m.family());
        Lineage.Pattern lineage = m.lineage().pattern();
        assertEquals(p, lineage.pattern(), job + "/" + model);
        assertEquals(members, lineage.members(), job + "/" + model);
        assertEquals(patterns.patterns().get(p).centroid(), lineage.centroid());
        assertEquals(TrainingFixtures.alibabaManifest().fingerprint(), lineage.patternsOf());
      }
      assertEquals(ModelKinds.MLP, reg.metadata(job, "mlp_pattern", VersionRef.LATEST).spec().kind());
    }
  }

  @Test
  void aTunedNetworkIsNeverWorseOnValidationThanItsPatternNetwork() {
    ModelRegistry reg = registry();
    DatasetReader reader = DatasetReader.open(SPARK, TrainingFixtures.alibabaDataset());
    for (String job : jobs) {
      LoadedModel tuned = reg.load(job, "mlp_tuned", VersionRef.LATEST);
      Lineage.FineTuned fineTuned = tuned.metadata().lineage().fineTuned();
      Lineage.Start from = fineTuned.startedFrom();
      assertEquals(job, from.job());
      assertEquals("mlp_pattern", from.model());
      int startVersion = from.version();
      LoadedModel pattern = reg.load(job, "mlp_pattern", VersionRef.version(startVersion));
      List<WindowRow> validation = new ArrayList<>(reader.encodedWindows(SPARK,
              Split.VALIDATION, List.of(job)).withColumn(WindowRow.VALIDATION, lit(true))
          .collectAsList().stream().map(WindowRow::from).toList());
      double patternMae = TrainingFixtures.mae(pattern, validation);
      double tunedMae = TrainingFixtures.mae(tuned, validation);
      assertTrue(tunedMae <= patternMae + 1e-6, job + ": tuned " + tunedMae + " > pattern "
          + patternMae);
      // the recorded comparison is the one computed here, from the published networks
      assertEquals(patternMae, fineTuned.patternValidationMae(), 1e-4 * Math.max(1, patternMae));
      assertTrue(List.of("pattern", "tuned").contains(fineTuned.kept()));
      // the tuned version also keeps its pattern's lineage
      assertEquals(reg.metadata(job, "mlp_pattern", VersionRef.version(startVersion)).lineage()
          .pattern(), tuned.metadata().lineage().pattern());
    }
  }

  @Test
  void aPatternWithEnoughWindowsTrainsDataParallelAndEveryMemberGetsTheSameNetwork()
      throws Exception {
    List<String> two = TrainingFixtures.smallestJobs(2);
    Path dir = Files.createTempDirectory("tracecast-pattern-dp");
    TrainSettings settings = TrainingFixtures.settings(1, 1, 1, "")
        .withPooled(new PooledSettings(new PatternSettings(Optional.of(1), 6, 7), 3, 0.3))
        .withModels(TrainingFixtures.kinds("mlp_pattern"));
    TrainResult r = TrainJob.run(SPARK, new TrainRequest(TrainingFixtures.alibabaDataset(),
        dir.toString(), two, settings));
    assertEquals(List.of(), r.failed());
    assertEquals(2, r.published().size());
    r.published().forEach(o -> assertEquals(ExecutionMode.DATA_PARALLEL, o.mode()));
    ModelRegistry reg = ModelRegistry.open(dir.toString(), new Configuration());
    ComputationGraph a = reg.load(two.get(0), "mlp_pattern", VersionRef.LATEST).network();
    ComputationGraph b = reg.load(two.get(1), "mlp_pattern", VersionRef.LATEST).network();
    assertEquals(a.params(), b.params());
    assertEquals(two.stream().sorted().toList(), reg.metadata(two.get(1), "mlp_pattern",
        VersionRef.LATEST).lineage().pattern().members());
  }
}
