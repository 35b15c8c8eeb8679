package io.tracecast.training.gbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * The dependency works on this platform: xgboost4j's native library loads from its jar and
 * the L1 objective learns a known function. Independent check: the label's MAE around its own
 * median (the best constant under L1).
 */
class XGBoostCoreTest {
  @Test
  void absoluteErrorBoosterLearnsASyntheticFunction() throws Exception {
    int rows = 2000;
    int cols = 3;
    Random rnd = new Random(7);
    float[] x = new float[rows * cols];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      float a = rnd.nextFloat();
      float b = rnd.nextFloat();
      x[i * cols] = a;
      x[i * cols + 1] = b;
      x[i * cols + 2] = rnd.nextFloat(); // noise column
      // heavy-tailed noise: L1 is the right objective for it
      double noise = 0.02 * Math.tan(Math.PI * (rnd.nextDouble() - 0.5));
      y[i] = (float) (Math.sin(6 * a) + 2 * b * b + Math.max(-1, Math.min(1, noise)));
    }
    DMatrix train = new DMatrix(x, rows, cols, Float.NaN);
    train.setLabel(y);
    Map<String, Object> params = Map.of("objective", "reg:absoluteerror", "max_depth", 4,
        "eta", 0.1, "nthread", 1, "seed", 1, "eval_metric", "mae");
    Booster booster = XGBoost.train(train, params, 200, Map.of(), null, null);
    float[][] pred = booster.predict(train);
    double mae = 0;
    for (int i = 0; i < rows; i++) {
      mae += Math.abs(pred[i][0] - y[i]);
    }
    mae /= rows;
    float[] sorted = y.clone();
    Arrays.sort(sorted);
    double median = (sorted[rows / 2 - 1] + sorted[rows / 2]) / 2.0;
    double baseline = 0;
    for (float v : y) {
      baseline += Math.abs(v - median);
    }
    baseline /= rows;
    assertTrue(mae < 0.2 * baseline, "MAE " + mae + " vs median baseline " + baseline);
    assertEquals(1, pred[0].length);
  }
}
