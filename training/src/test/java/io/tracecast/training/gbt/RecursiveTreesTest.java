package io.tracecast.training.gbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.HorizonSample;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.etl.dataset.WindowSchema;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recursive tree strategy on a real window-normalised dataset of horizon 3 (Bitbrains VM 1:
 * cpu the target, memory and network other metrics, the daily and weekly calendar, cpu one day
 * earlier): its forecasts against direct boosters, its own boosters on rolled windows, and
 * persistence. (The rollout itself is checked against the ETL's windows in etl's
 * WindowRolloutTest.)
 */
class RecursiveTreesTest {
  private static final int LOOKBACK = 6;
  private static final int HORIZON = 3;
  @TempDir static Path tmp;
  private static Manifest manifest;
  private static WindowRollout rollout;
  /** The train split's windows in time order, per the one series. */
  private static List<Row> train;
  private static List<Row> validation;

  @BeforeAll
  static void dataset() {
    HorizonSample sample = HorizonSample.bitbrainsVm1(tmp, LOOKBACK, HORIZON);
    manifest = sample.manifest();
    rollout = WindowRollout.of(manifest);
    train = sample.windows(Split.TRAIN);
    validation = sample.windows(Split.VALIDATION);
  }

  @Test
  void recursiveForecastsFeedTheFirstStepBackAndBeatPersistence() {
    GbtFeatures features = new GbtFeatures(LOOKBACK, manifest.features());
    GbtSpec direct = new GbtSpec(150, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 15, "reg:absoluteerror",
        GbtSpec.DIRECT, List.of(), 42);
    GbtSpec recursive = new GbtSpec(150, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 15, "reg:absoluteerror",
        GbtSpec.RECURSIVE, List.of(), 42);
    List<float[]> in = train.stream().map(WindowSchema::inputs).toList();
    List<float[]> out = train.stream().map(WindowSchema::targets).toList();
    List<float[]> vin = validation.stream().map(WindowSchema::inputs).toList();
    List<float[]> vout = validation.stream().map(WindowSchema::targets).toList();
    GbtModel d = GbtTrainer.fit(direct, features, rollout, in, out, vin, vout, 1).model();
    GbtModel r = GbtTrainer.fit(recursive, features, rollout, in, out, vin, vout, 1).model();
    assertNull(d.rollout());
    assertEquals(HORIZON, d.toFiles().size());
    assertEquals(2, r.toFiles().size(), "the first step's booster and the later steps'");
    assertEquals(HORIZON, r.outputColumns());

    float[] pd = d.predict(vin);
    float[] pr = r.predict(vin);
    double[] persistence = new double[HORIZON];
    double[] recursiveMae = new double[HORIZON];
    double[] directMae = new double[HORIZON];
    for (int i = 0; i < vin.size(); i++) {
      // step 1: the same labels, data and seed make the same booster as direct's first
      assertEquals(pd[i * HORIZON], pr[i * HORIZON], 0f);
      for (int h = 0; h < HORIZON; h++) {
        persistence[h] += Math.abs(vout.get(i)[h]) / vin.size(); // model space: delta 0
        recursiveMae[h] += Math.abs(vout.get(i)[h] - pr[i * HORIZON + h]) / vin.size();
        directMae[h] += Math.abs(vout.get(i)[h] - pd[i * HORIZON + h]) / vin.size();
      }
    }
    // steps 2 and 3: the later steps' booster (read back as a one-column direct model on the
    // known channels) on the windows rolled by each forecast, the deltas added up
    GbtModel first = GbtModel.fromFiles(direct, features, null, 1,
        java.util.Map.of(GbtModel.fileName(0), r.toFiles().get(GbtModel.fileName(0))));
    List<String> knownNames = rollout.knownChannels().stream()
        .map(manifest.features()::get).toList();
    assertEquals(List.of("cpu", "hour_sin", "hour_cos", "dow_sin", "dow_cos", "cpu_lag_1d"),
        knownNames, "not memory and network: the rollout could only hold them");
    GbtModel later = GbtModel.fromFiles(direct, new GbtFeatures(LOOKBACK, knownNames), null, 1,
        java.util.Map.of(GbtModel.fileName(0), r.toFiles().get(GbtModel.fileName(1))));
    for (int i = 0; i < 50; i++) {
      float[] w = vin.get(i);
      float sum = 0;
      for (int h = 0; h < HORIZON; h++) {
        float oneStep = h == 0 ? first.predict(List.of(w))[0]
            : later.predict(List.of(rollout.known(w)))[0];
        sum += oneStep;
        assertEquals(sum, pr[i * HORIZON + h], 1e-5f, "window " + i + " step " + (h + 1));
        w = rollout.step(w, new float[] {oneStep});
      }
    }
    System.out.println("recursive trees, validation MAE per step (model space): persistence " + java.util.Arrays.toString(persistence)
        + " recursive " + java.util.Arrays.toString(recursiveMae));
    for (int h = 0; h < HORIZON; h++) {
      assertTrue(recursiveMae[h] < persistence[h], "step " + (h + 1) + ": recursive "
          + recursiveMae[h] + " vs persistence " + persistence[h]);
    }
  }
}
