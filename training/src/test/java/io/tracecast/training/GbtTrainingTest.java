package io.tracecast.training;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.gbt.GbtFeatures;
import io.tracecast.training.gbt.GbtFit;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.gbt.GbtTrainer;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import io.tracecast.training.run.WindowRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GBT kinds through TrainJob in local[2] Spark on the real Alibaba fixture. */
class GbtTrainingTest {
  private static final SparkSession SPARK = TrainingFixtures.spark();
  private static final GbtSpec SPEC =
      new GbtSpec(120, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 15, "reg:absoluteerror", "recursive",
          List.of(), 42);

  private static TrainSettings settings(String trees, boolean withLstm) {
    TrainSettings lstm = TrainingFixtures.settings(1_000_000, 1, 1, "");
    return lstm.withGbt(SPEC).withModels(TrainingFixtures.kinds(withLstm ? "lstm," + trees
        : trees));
  }

  private static final List<Double> LEVELS = List.of(0.1, 0.5, 0.9);

  /** A job's windows of one split in the order packed tasks see them (WindowRow.ORDER). */
  private static List<WindowRow> windows(String job, Split split) {
    DatasetReader reader = DatasetReader.open(SPARK, TrainingFixtures.alibabaDataset());
    List<WindowRow> rows = new ArrayList<>(reader.encodedWindows(SPARK, split, List.of(job))
        .withColumn(WindowRow.VALIDATION, lit(split == Split.VALIDATION)).collectAsList().stream()
        .map(WindowRow::from).toList());
    rows.sort(WindowRow.ORDER);
    return rows;
  }

  private static double medianMae(List<WindowRow> rows) {
    double[] y = rows.stream().mapToDouble(w -> w.targets()[0]).sorted().toArray();
    double median = y.length % 2 == 1 ? y[y.length / 2] : (y[y.length / 2 - 1] + y[y.length / 2]) / 2;
    return Arrays.stream(y).map(v -> Math.abs(v - median)).average().orElseThrow();
  }

  @Test
  void perJobGbtIsPublishedBesideTheNetworkAndReloadsToTheSamePredictions(@TempDir Path tmp) {
    List<String> jobs = TrainingFixtures.smallestJobs(2);
    TrainResult result = TrainJob.run(SPARK, new TrainRequest(
        TrainingFixtures.alibabaDataset(), tmp.toString(), jobs,
        settings("gbt", true)));
    assertEquals(List.of(), result.failed());
    assertEquals(4, result.published().size(), result.published().toString());
    ModelRegistry registry = ModelRegistry.open(tmp.toString(), new Configuration());
    for (String job : jobs) {
      assertEquals(ModelFamily.NETWORK, registry.load(job, "lstm", VersionRef.LATEST).metadata().family());
      JobOutcome o = result.published().stream()
          .filter(p -> p.job().equals(job) && p.model().equals("gbt")).findFirst().orElseThrow();
      assertEquals(ExecutionMode.PACKED, o.mode());
      ModelMetadata m = registry.metadata(job, "gbt", VersionRef.LATEST);
      assertEquals(ModelFamily.GBT, m.family());
      assertNull(m.spec());
      assertEquals(TrainingFixtures.alibabaManifest().scalersOf(job), m.scalers());
      GbtFeatures features = new GbtFeatures(m.shape().lookback(), m.features());
      assertEquals(features.names(), m.params().get("featureNames"));

      // The same fit here, on the windows in the task's order, is the same model (seeded,
      // one thread), and the registry's copy predicts exactly what it does.
      List<WindowRow> train = windows(job, Split.TRAIN);
      List<WindowRow> validation = windows(job, Split.VALIDATION);
      List<float[]> valIn = validation.stream().map(WindowRow::inputs).toList();
      GbtFit local = GbtTrainer.fit(SPEC, features,
          io.tracecast.etl.dataset.WindowRollout.of(TrainingFixtures.alibabaManifest()), train.stream().map(WindowRow::inputs).toList(),
          train.stream().map(WindowRow::targets).toList(), valIn,
          validation.stream().map(WindowRow::targets).toList(), 1);
      GbtModel loaded = GbtModel.load(registry, registry.resolve(job, "gbt", VersionRef.LATEST));
      float[] predicted = loaded.predict(valIn);
      assertArrayEquals(local.model().predict(valIn), predicted);
      assertEquals(SPEC, loaded.spec());
      assertEquals(local.bestRounds(), m.params().get("bestRounds"));
      assertEquals(local.history().bestEpoch(), m.history().bestEpoch());

      double mae = 0;
      for (int i = 0; i < validation.size(); i++) {
        mae += Math.abs(predicted[i] - validation.get(i).targets()[0]);
      }
      mae /= validation.size();
      assertEquals(m.history().epochs().get(m.history().bestEpoch() - 1).validationMae(), mae,
          1e-5, "XGBoost's validation MAE of the kept round");
      double constant = medianMae(validation);
      assertTrue(mae < constant, job + ": GBT MAE " + mae + " vs median " + constant);
    }
  }

  @Test
  void pooledGbtTrainsOnceAndIsPublishedForEveryJob(@TempDir Path tmp) {
    List<String> jobs = TrainingFixtures.smallestJobs(3);
    TrainResult result = TrainJob.run(SPARK, new TrainRequest(
        TrainingFixtures.alibabaDataset(), tmp.toString(), jobs,
        settings("gbt_global", false)));
    assertEquals(List.of(), result.failed());
    assertEquals(jobs.stream().sorted().toList(),
        result.published().stream().map(JobOutcome::job).sorted().toList());
    ModelRegistry registry = ModelRegistry.open(tmp.toString(), new Configuration());
    byte[] first = registry.readFile(registry.resolve(jobs.get(0), "gbt_global",
        VersionRef.LATEST), GbtModel.fileName(0));
    double errorSum = 0;
    int windows = 0;
    for (String job : jobs) {
      assertEquals(ExecutionMode.POOLED, result.published().stream()
          .filter(p -> p.job().equals(job)).findFirst().orElseThrow().mode());
      assertArrayEquals(first, registry.readFile(registry.resolve(job, "gbt_global",
          VersionRef.LATEST), GbtModel.fileName(0)), "one booster for all jobs");
      ModelMetadata m = registry.metadata(job, "gbt_global", VersionRef.LATEST);
      assertEquals(ModelFamily.GBT, m.family());
      assertEquals(jobs.stream().sorted().toList(),
          m.lineage().pooledOver().stream().sorted().toList());
      assertEquals(TrainingFixtures.alibabaManifest().scalersOf(job), m.scalers());
      // one epoch per round actually boosted: no padding after an early stop
      assertTrue(m.history().epochs().stream().allMatch(e -> e.trainLoss() > 0
          && e.validationMae() > 0), m.history().toString());
      assertTrue(m.history().epochs().size() <= m.history().bestEpoch() + SPEC.earlyStoppingRounds());
      // Pooled over jobs, it still forecasts each job's validation windows better than the
      // job's own median.
      List<WindowRow> validation = windows(job, Split.VALIDATION);
      float[] predicted = GbtModel.load(registry, registry.resolve(job, "gbt_global", VersionRef.LATEST))
          .predict(validation.stream().map(WindowRow::inputs).toList());
      double mae = 0;
      for (int i = 0; i < validation.size(); i++) {
        mae += Math.abs(predicted[i] - validation.get(i).targets()[0]);
      }
      errorSum += mae;
      windows += validation.size();
      mae /= validation.size();
      assertTrue(mae < medianMae(validation), job + ": pooled MAE " + mae + " vs median "
          + medianMae(validation));
    }
    // The kept booster is the best round's: its MAE over all the jobs' validation windows is
    // the one XGBoost-Spark recorded for that round (float32 sums across workers: 1e-4).
    ModelMetadata.TrainingHistory h = registry.metadata(jobs.get(0), "gbt_global", VersionRef.LATEST)
        .history();
    assertEquals(h.epochs().get(h.bestEpoch() - 1).validationMae(), errorSum / windows, 1e-4);
  }

  @Test
  void pooledQuantileTreesGiveEveryJobTheirLevels(@TempDir Path tmp) {
    List<String> jobs = TrainingFixtures.smallestJobs(2);
    GbtSpec spec = new GbtSpec(60, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 10, "reg:absoluteerror",
        "recursive", LEVELS, 42);
    TrainResult result = TrainJob.run(SPARK, new TrainRequest(
        TrainingFixtures.alibabaDataset(), tmp.toString(), jobs,
        settings("gbt_global", false).withGbt(spec)));
    assertEquals(List.of(), result.failed());
    ModelRegistry registry = ModelRegistry.open(tmp.toString(), new Configuration());
    double pinball = 0;
    int windows = 0;
    for (String job : jobs) {
      ModelMetadata m = registry.metadata(job, "gbt_global", VersionRef.LATEST);
      assertEquals(LEVELS, m.quantiles(), "the registry contract reads a tree's levels");
      GbtModel model = GbtModel.load(registry, registry.resolve(job, "gbt_global",
          VersionRef.LATEST));
      assertEquals(spec, model.spec());
      List<WindowRow> validation = windows(job, Split.VALIDATION);
      float[] out = model.predict(validation.stream().map(WindowRow::inputs).toList());
      assertEquals(validation.size() * 3, out.length, "three levels per window (H = 1)");
      for (int i = 0; i < validation.size(); i++) {
        double y = validation.get(i).targets()[0];
        assertTrue(out[3 * i] <= out[3 * i + 1] && out[3 * i + 1] <= out[3 * i + 2]);
        for (int l = 0; l < 3; l++) {
          double d = y - out[3 * i + l];
          pinball += Math.max(LEVELS.get(l) * d, (LEVELS.get(l) - 1) * d) / 3;
        }
      }
      windows += validation.size();
    }
    // The booster was fitted with quantile_alpha (else one output, not three), and XGBoost-Spark
    // recorded the kept round's mean pinball loss over both jobs' validation windows.
    ModelMetadata.TrainingHistory h = registry.metadata(jobs.get(0), "gbt_global",
        VersionRef.LATEST).history();
    ModelMetadata.Epoch best = h.epochs().get(h.bestEpoch() - 1);
    assertEquals(best.validationLoss(), pinball / windows, 1e-4);
    assertTrue(Double.isNaN(best.validationMae()), "no MAE per round for quantile trees");
  }

  @Test
  void stepFeatureTreesLearnEveryStepPerJobAndPooled(@TempDir Path tmp) {
    int horizon = 3;
    io.tracecast.etl.dataset.HorizonSample sample =
        io.tracecast.etl.dataset.HorizonSample.bitbrainsVm1(tmp, 6, horizon);
    String job = sample.manifest().jobs().get(0);
    GbtSpec spec = new GbtSpec(120, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 15, "reg:absoluteerror",
        GbtSpec.STEP_FEATURE, List.of(), 42);
    TrainSettings s = TrainingFixtures.settings(1_000_000, 1, 1, "").withGbt(spec)
        .withModels(TrainingFixtures.kinds("gbt,gbt_global"));
    String registryPath = tmp.resolve("registry").toString();
    TrainResult result = TrainJob.run(SPARK, new TrainRequest(tmp.resolve("bitbrains-h3")
        .toString(), registryPath, List.of(job), s));
    assertEquals(List.of(), result.failed());
    ModelRegistry registry = ModelRegistry.open(registryPath, new Configuration());
    List<org.apache.spark.sql.Row> validation = sample.windows(Split.VALIDATION);
    List<float[]> in = validation.stream().map(io.tracecast.etl.dataset.WindowSchema::inputs)
        .toList();
    List<float[]> out = validation.stream().map(io.tracecast.etl.dataset.WindowSchema::targets)
        .toList();
    for (String kind : List.of("gbt", "gbt_global")) {
      ModelMetadata m = registry.metadata(job, kind, VersionRef.LATEST);
      assertEquals(horizon, m.params().get("steps"), kind);
      GbtModel model = GbtModel.load(registry, registry.resolve(job, kind, VersionRef.LATEST));
      assertEquals(1, model.toFiles().size(), kind + ": one booster for the one target");
      assertEquals(GbtSpec.STEP_FEATURE, model.spec().strategy());
      float[] p = model.predict(in);
      double[] mae = new double[horizon];
      double[] persistence = new double[horizon];
      for (int i = 0; i < in.size(); i++) {
        for (int h = 0; h < horizon; h++) {
          mae[h] += Math.abs(p[i * horizon + h] - out.get(i)[h]) / in.size();
          persistence[h] += Math.abs(out.get(i)[h]) / in.size(); // model space: delta 0
        }
      }
      for (int h = 0; h < horizon; h++) {
        assertTrue(mae[h] < persistence[h], kind + " step " + (h + 1) + ": " + mae[h]
            + " vs persistence " + persistence[h]);
      }
      // XGBoost's validation MAE of the kept round is over every (window, step) pair
      // (XGBoost-Spark sums in float32 across workers: 1e-4)
      double all = java.util.Arrays.stream(mae).average().orElseThrow();
      ModelMetadata.TrainingHistory hist = m.history();
      assertEquals(hist.epochs().get(hist.bestEpoch() - 1).validationMae(), all, 1e-4, kind);
    }
  }
}
