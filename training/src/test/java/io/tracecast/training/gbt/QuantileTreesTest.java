package io.tracecast.training.gbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Quantile trees (XGBoost's reg:quantileerror) on synthetic windows of known noise: the next
 * value is the last one plus uniform noise on [-A, A], so the level-q quantile given the window
 * is {@code last + A (2q - 1)} and the chance that a forecast interval [lo, hi] holds the next
 * value is the share of [last - A, last + A] it covers.
 */
class QuantileTreesTest {
  private static final int LOOKBACK = 4;
  private static final double A = 0.2;
  private static final List<Double> LEVELS = List.of(0.1, 0.5, 0.9);
  private static final GbtFeatures FEATURES = new GbtFeatures(LOOKBACK, List.of("y"));
  /** The one channel is the target, absolute. */
  private static final WindowRollout ROLLOUT = new WindowRollout(LOOKBACK,
      List.of(new WindowRollout.Channel(WindowRollout.Role.TARGET, 0, null)), 1, false);

  private static GbtSpec spec(String strategy, List<Double> levels) {
    return new GbtSpec(300, 3, 0.1, 1.0, 1.0, 1.0, 1.0, 20, "reg:absoluteerror", strategy,
        levels, 7);
  }

  /** Windows of U(0, 1) values; {@code horizon} next values, each the previous plus noise. */
  private record Sample(List<float[]> inputs, List<float[]> targets) {
    static Sample of(int n, int horizon, long seed) {
      Random r = new Random(seed);
      List<float[]> in = new ArrayList<>();
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        float[] w = new float[LOOKBACK];
        for (int t = 0; t < LOOKBACK; t++) {
          w[t] = r.nextFloat();
        }
        float[] y = new float[horizon];
        float last = w[LOOKBACK - 1];
        for (int h = 0; h < horizon; h++) {
          last = (float) (last + A * (2 * r.nextDouble() - 1));
          y[h] = last;
        }
        in.add(w);
        out.add(y);
      }
      return new Sample(in, out);
    }

    /** The same windows with their first step only. */
    Sample firstStep() {
      return new Sample(inputs, targets.stream().map(y -> new float[] {y[0]}).toList());
    }
  }

  private static GbtFit fit(GbtSpec spec, int horizon) {
    return fit(spec, Sample.of(3000, horizon, 1), Sample.of(1000, horizon, 2));
  }

  private static GbtFit fit(GbtSpec spec, Sample train, Sample validation) {
    return GbtTrainer.fit(spec, FEATURES, ROLLOUT, train.inputs(), train.targets(),
        validation.inputs(), validation.targets(), 1);
  }

  @Test
  void fittedTenthAndNinetiethLevelsCoverEightyPercentOfFreshPoints() {
    GbtFit fit = fit(spec(GbtSpec.RECURSIVE, LEVELS), 1);
    GbtModel model = fit.model();
    assertEquals(3, model.outputWidth());
    Sample fresh = Sample.of(4000, 1, 3);
    float[] out = model.predict(fresh.inputs());
    int n = fresh.inputs().size();
    int point = ModelOutput.pointIndex(LEVELS);
    assertEquals(1, point, "the level nearest 0.5 is the point");
    int covered = 0;
    double expected = 0;
    double pointError = 0;
    double medianError = 0;
    for (int i = 0; i < n; i++) {
      float lo = out[3 * i];
      float mid = out[3 * i + point];
      float hi = out[3 * i + 2];
      assertTrue(lo <= mid && mid <= hi, "levels ascending: " + lo + ", " + mid + ", " + hi);
      double last = fresh.inputs().get(i)[LOOKBACK - 1];
      double y = fresh.targets().get(i)[0];
      covered += y >= lo && y <= hi ? 1 : 0;
      // P(y in [lo, hi]) under the known noise, for this window's forecast
      expected += Math.max(0, Math.min(hi, last + A) - Math.max(lo, last - A)) / (2 * A);
      pointError += Math.abs(y - mid);
      medianError += Math.abs(mid - last);
    }
    expected /= n;
    double coverage = covered / (double) n;
    // The fitted interval holds its own expected share of fresh points up to sampling error
    // (independent Bernoulli draws: SE <= sqrt(p (1 - p) / n), 0.0063 here; 4 SE) ...
    double se = Math.sqrt(expected * (1 - expected) / n);
    assertEquals(expected, coverage, 4 * se, "empirical vs expected coverage");
    // ... and that share is the nominal 80 % up to the trees' estimation error (seen 0.772:
    // the fitted interval is 0.30 wide against the true 1.6 A = 0.32, and its centre is 0.017
    // from the true median on average; coverage seen 0.7725)
    assertEquals(0.8, expected, 0.04, "expected coverage of the fitted 10-90 % interval");
    // the point is the median: its MAE is near E|noise| = A / 2, its distance to the true
    // median (the last value) small against A
    assertEquals(A / 2, pointError / n, 0.1 * A / 2, "MAE of the 0.5 level");
    assertTrue(medianError / n < 0.1 * A, "0.5 level vs the true median: " + medianError / n);
  }

  @Test
  void earlyStoppingWatchesThePinballLossAveragedOverTheLevels() {
    GbtFit fit = fit(spec(GbtSpec.RECURSIVE, LEVELS), 1);
    List<Epoch> epochs = fit.history().epochs();
    int best = fit.history().bestEpoch();
    double bestLoss = epochs.get(best - 1).validationLoss();
    assertTrue(epochs.stream().allMatch(e -> e.validationLoss() >= bestLoss
        && Double.isNaN(e.validationMae())), "no MAE tracked per round");
    // XGBoost's "quantile" metric of the kept round is the mean over levels of the pinball
    // loss of the kept model on the validation windows
    Sample validation = Sample.of(1000, 1, 2);
    float[] out = fit.model().predict(validation.inputs());
    double sum = 0;
    for (int i = 0; i < validation.inputs().size(); i++) {
      double y = validation.targets().get(i)[0];
      for (int l = 0; l < LEVELS.size(); l++) {
        double d = y - out[3 * i + l];
        sum += Math.max(LEVELS.get(l) * d, (LEVELS.get(l) - 1) * d) / LEVELS.size();
      }
    }
    assertEquals(bestLoss, sum / validation.inputs().size(), 1e-5);
  }

  @Test
  void recursiveQuantilesFeedBackThePointAndTakeEachStepsSpread() {
    int horizon = 3;
    Sample train = Sample.of(3000, horizon, 1);
    Sample validation = Sample.of(1000, horizon, 2);
    GbtModel three = fit(spec(GbtSpec.RECURSIVE, LEVELS), train, validation).model();
    // With the target the only channel, the later steps' booster sees the same features and
    // labels as the first step's, so both equal the one-step model's booster.
    GbtModel one = fit(spec(GbtSpec.RECURSIVE, LEVELS), train.firstStep(),
        validation.firstStep()).model();
    assertEquals(horizon * 3, three.outputWidth());
    Sample fresh = Sample.of(200, horizon, 4);
    float[] out = three.predict(fresh.inputs());
    for (int i = 0; i < fresh.inputs().size(); i++) {
      float[] window = fresh.inputs().get(i).clone();
      for (int h = 0; h < horizon; h++) {
        float[] q = one.predict(List.of(window));
        for (int l = 0; l < 3; l++) {
          assertEquals(q[l], out[i * horizon * 3 + ModelOutput.column(h, l, 3)], 1e-6,
              "window " + i + " step " + (h + 1) + " level " + l);
        }
        // the window moves ahead by the point forecast
        System.arraycopy(window, 1, window, 0, LOOKBACK - 1);
        window[LOOKBACK - 1] = q[1];
      }
    }
  }

  @Test
  void directTreesGiveEveryStepItsLevels() {
    GbtModel direct = fit(spec(GbtSpec.DIRECT, LEVELS), 2).model();
    assertEquals(2, direct.toFiles().size());
    assertStepTwoWider(direct);
  }

  @Test
  void stepFeatureTreesGiveEveryStepItsLevels() {
    // one booster for both steps, its rows the (window, step) pairs: the levels of each row are
    // laid out per (window, step) as for direct, and the step feature widens step 2's interval
    Sample train = Sample.of(3000, 2, 1);
    Sample validation = Sample.of(1000, 2, 2);
    GbtModel stepped = GbtTrainer.fit(spec(GbtSpec.STEP_FEATURE, LEVELS),
        new GbtFeatures(LOOKBACK, List.of("y"), 2), ROLLOUT, train.inputs(), train.targets(),
        validation.inputs(), validation.targets(), 1).model();
    assertEquals(1, stepped.toFiles().size());
    assertStepTwoWider(stepped);
  }

  private static void assertStepTwoWider(GbtModel model) {
    Sample fresh = Sample.of(500, 2, 5);
    float[] out = model.predict(fresh.inputs());
    assertEquals(500 * 2 * 3, out.length);
    double[] width = new double[2];
    for (int i = 0; i < 500; i++) {
      for (int h = 0; h < 2; h++) {
        int at = i * 6 + ModelOutput.column(h, 0, 3);
        assertTrue(out[at] <= out[at + 1] && out[at + 1] <= out[at + 2]);
        width[h] += (out[at + 2] - out[at]) / 500;
      }
    }
    // step 2's noise is the sum of two uniforms: its 10-90 % interval is wider than step 1's
    // (known: 1.6 A = 0.32 at step 1, 4 A (1 - sqrt(0.2)) = 0.44 at step 2; seen 0.30, 0.43)
    assertTrue(width[1] > 1.15 * width[0], Arrays.toString(width));
  }

  @Test
  void specRefusesLevelsOutsideTheUnitIntervalOrOutOfOrder() {
    for (List<Double> bad : List.of(List.of(0.0, 0.5), List.of(0.5, 1.0), List.of(0.9, 0.1),
        List.of(0.5, 0.5))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> spec(GbtSpec.RECURSIVE, bad));
      assertTrue(e.getMessage().contains("quantiles"), e.getMessage());
    }
    assertEquals(List.of(), spec(GbtSpec.RECURSIVE, null).quantiles(), "absent: point trees");
    GbtSpec q = spec(GbtSpec.RECURSIVE, LEVELS);
    assertEquals("reg:quantileerror", q.boosterParams(1).get("objective"));
    assertEquals("[0.1,0.5,0.9]", q.boosterParams(1).get("quantile_alpha"));
    assertEquals("quantile", q.boosterParams(1).get("eval_metric"));
    GbtSpec point = spec(GbtSpec.RECURSIVE, List.of());
    assertEquals("reg:absoluteerror", point.boosterParams(1).get("objective"));
    assertEquals("mae", point.boosterParams(1).get("eval_metric"));
  }

  @SuppressWarnings("unchecked")
  @Test
  void specWrittenBeforeQuantilesExistedReadsAsPointTrees() {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> old = json.convertValue(spec(GbtSpec.DIRECT, List.of()), Map.class);
    old.remove("quantiles");
    assertEquals(spec(GbtSpec.DIRECT, List.of()), json.convertValue(old, GbtSpec.class));
    Map<String, Object> now = json.convertValue(spec(GbtSpec.DIRECT, LEVELS), Map.class);
    assertEquals(LEVELS, json.convertValue(now, GbtSpec.class).quantiles());
  }
}
