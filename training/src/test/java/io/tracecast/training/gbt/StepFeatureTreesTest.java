package io.tracecast.training.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The step-feature strategy on a synthetic panel whose answer at step h is known and depends on
 * h: two channels x0, x1 uniform in [0, 1], two targets
 * {@code y0(t + h) = 0.5 + 0.1 h + x0(t)} and {@code y1(t + h) = 2 - 0.2 h + 0.5 x1(t)}, plus
 * uniform noise of +-0.01 (so no model is exact).
 */
class StepFeatureTreesTest {
  private static final int LOOKBACK = 4;
  private static final int HORIZON = 12;
  private static final int TARGETS = 2;
  /** Slope per step of each target. */
  private static final double[] SLOPE = {0.1, -0.2};
  private static final GbtFeatures FEATURES =
      new GbtFeatures(LOOKBACK, List.of("x0", "x1"), HORIZON);
  private static final GbtSpec SPEC = new GbtSpec(300, 4, 0.2, 1.0, 1.0, 1.0, 1.0, 20,
      "reg:absoluteerror", GbtSpec.STEP_FEATURE, List.of(), 42);

  private record Panel(List<float[]> inputs, List<float[]> targets) {}

  private static Panel panel(int windows, long seed) {
    Random rnd = new Random(seed);
    List<float[]> in = new ArrayList<>();
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      float[] x = new float[LOOKBACK * 2];
      for (int j = 0; j < x.length; j++) {
        x[j] = rnd.nextFloat();
      }
      float x0 = x[(LOOKBACK - 1) * 2];
      float x1 = x[(LOOKBACK - 1) * 2 + 1];
      float[] y = new float[HORIZON * TARGETS];
      for (int h = 1; h <= HORIZON; h++) {
        // flat horizon x targets: step h, target k at (h - 1) * targets + k
        y[(h - 1) * TARGETS] = (float) (0.5 + SLOPE[0] * h + x0 + noise(rnd));
        y[(h - 1) * TARGETS + 1] = (float) (2 + SLOPE[1] * h + 0.5 * x1 + noise(rnd));
      }
      in.add(x);
      out.add(y);
    }
    return new Panel(in, out);
  }

  private static double noise(Random rnd) {
    return (rnd.nextDouble() - 0.5) * 0.02;
  }

  @Test
  void oneBoosterPerTargetLearnsHowTheAnswerDependsOnTheStep() {
    Panel train = panel(600, 1);
    Panel validation = panel(200, 2);
    Panel test = panel(200, 3);
    GbtFit fit = GbtTrainer.fit(SPEC, FEATURES, null, train.inputs(), train.targets(),
        validation.inputs(), validation.targets(), 1);
    GbtModel model = fit.model();
    assertEquals(TARGETS, model.toFiles().size(), "one booster per target, whatever H");
    assertEquals(HORIZON * TARGETS, model.outputColumns());
    assertNull(model.rollout(), "nothing is fed back");

    float[] p = model.predict(test.inputs());
    assertEquals(test.inputs().size() * HORIZON * TARGETS, p.length);
    int cols = HORIZON * TARGETS;
    for (int k = 0; k < TARGETS; k++) {
      // A forecaster blind to h gives a window the same value at every step; under L1 the best
      // such value is the median over the steps, off by |slope| x mean |h - 6.5| = 3 |slope|.
      double blind = Math.abs(SLOPE[k]) * 3;
      double all = 0;
      for (int h = 1; h <= HORIZON; h++) {
        double mae = 0;
        for (int i = 0; i < test.inputs().size(); i++) {
          int c = (h - 1) * TARGETS + k;
          mae += Math.abs(p[i * cols + c] - test.targets().get(i)[c]) / test.inputs().size();
        }
        // aligned per step: a forecast of a neighbouring step would be |slope| off everywhere
        assertTrue(mae < Math.abs(SLOPE[k]) / 3, "target " + k + " step " + h + ": MAE " + mae);
        all += mae / HORIZON;
      }
      assertTrue(all < blind / 10, "target " + k + ": MAE " + all + " vs blind to h " + blind);
    }

    // Early stopping judged the validation MAE over every step: the kept round's is what the
    // kept model scores on all of validation's (window, step) pairs, averaged over targets.
    float[] pv = model.predict(validation.inputs());
    double mae = 0;
    for (int i = 0; i < validation.inputs().size(); i++) {
      for (int c = 0; c < cols; c++) {
        mae += Math.abs(pv[i * cols + c] - validation.targets().get(i)[c]);
      }
    }
    mae /= validation.inputs().size() * (double) cols;
    var h = fit.history();
    assertEquals(h.epochs().get(h.bestEpoch() - 1).validationMae(), mae, 1e-5);
  }

  @Test
  void roundTripsThroughItsFilesAndNeedsTheSteppedLayout() {
    GbtSpec quick = new GbtSpec(20, 3, 0.3, 1.0, 1.0, 1.0, 1.0, 0, "reg:absoluteerror",
        GbtSpec.STEP_FEATURE, List.of(), 7);
    Panel train = panel(100, 4);
    GbtModel model = GbtTrainer.fit(quick, FEATURES, null, train.inputs(), train.targets(),
        List.of(), List.of(), 1).model();
    GbtModel copy = GbtModel.fromFiles(quick, FEATURES, null, HORIZON * TARGETS,
        model.toFiles());
    assertArrayEquals(model.predict(train.inputs()), copy.predict(train.inputs()));
    assertEquals(HORIZON, model.params(java.util.Map.of()).get("steps"));
    assertEquals(FEATURES.names(), model.params(java.util.Map.of()).get("featureNames"));

    // the strategy and the layout go together, and the outputs are whole horizons
    GbtFeatures flat = new GbtFeatures(LOOKBACK, List.of("x0", "x1"));
    assertThrows(IllegalArgumentException.class, () -> GbtModel.fromFiles(quick, flat, null,
        HORIZON * TARGETS, model.toFiles()));
    GbtSpec direct = new GbtSpec(20, 3, 0.3, 1.0, 1.0, 1.0, 1.0, 0, "reg:absoluteerror",
        GbtSpec.DIRECT, List.of(), 7);
    assertThrows(IllegalArgumentException.class, () -> GbtModel.fromFiles(direct, FEATURES, null,
        HORIZON * TARGETS, model.toFiles()));
    assertThrows(IllegalArgumentException.class,
        () -> GbtModel.boostersFor(quick, FEATURES, null, HORIZON * TARGETS + 1));
    assertEquals(FEATURES, GbtFeatures.of(quick, LOOKBACK, List.of("x0", "x1"), HORIZON));
    assertEquals(flat, GbtFeatures.of(direct, LOOKBACK, List.of("x0", "x1"), HORIZON));
  }
}
