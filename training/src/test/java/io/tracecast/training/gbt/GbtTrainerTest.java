package io.tracecast.training.gbt;

import io.tracecast.etl.dataset.WindowRollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.BitbrainsSample;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** xgboost4j on real Bitbrains CPU windows (lookback 12, next step), no Spark. */
class GbtTrainerTest {
  private static final int LOOKBACK = 12;
  private static final GbtFeatures FEATURES = new GbtFeatures(LOOKBACK, List.of("cpu"));
  /** The one channel is the target, as stored (absolute). */
  static final WindowRollout ROLLOUT = new WindowRollout(LOOKBACK,
      List.of(new WindowRollout.Channel(WindowRollout.Role.TARGET, 0, null)), 1, false);
  /** One scaling for both splits: the first 1500 windows train, the next 400 validate. */
  private static final BitbrainsSample.Windows ALL = BitbrainsSample.windows(1900, LOOKBACK, 0);
  private static final BitbrainsSample.Windows TRAIN = new BitbrainsSample.Windows(
      ALL.inputs().subList(0, 1500), ALL.targets().subList(0, 1500));
  private static final BitbrainsSample.Windows VALIDATION = new BitbrainsSample.Windows(
      ALL.inputs().subList(1500, 1900), ALL.targets().subList(1500, 1900));

  private static GbtFit fit(GbtSpec spec) {
    return GbtTrainer.fit(spec, FEATURES, ROLLOUT, TRAIN.inputs(), TRAIN.targets(), VALIDATION.inputs(),
        VALIDATION.targets(), 1);
  }

  static double mae(float[] predicted, List<float[]> targets) {
    double sum = 0;
    for (int i = 0; i < targets.size(); i++) {
      sum += Math.abs(predicted[i] - targets.get(i)[0]);
    }
    return sum / targets.size();
  }

  /** MAE of the label around its own median: the best constant forecast under L1. */
  static double medianMae(List<float[]> targets) {
    float[] y = new float[targets.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = targets.get(i)[0];
    }
    float[] s = y.clone();
    Arrays.sort(s);
    double median = s.length % 2 == 1 ? s[s.length / 2]
        : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    double sum = 0;
    for (float v : y) {
      sum += Math.abs(v - median);
    }
    return sum / y.length;
  }

  @Test
  void learnsRealCpuWindowsAndEarlyStoppingKeepsTheBestRound() {
    GbtSpec spec = new GbtSpec(300, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 10, "reg:absoluteerror",
        "recursive", List.of(), 42);
    GbtFit fit = fit(spec);
    TrainingHistory h = fit.history();
    assertEquals(1, fit.model().outputColumns());
    int best = fit.bestRounds().get(0);
    assertEquals(best, h.bestEpoch());
    // stopped by patience 10 or ran all rounds; the best round has the lowest validation MAE
    assertTrue(h.epochs().size() == 300 || h.epochs().size() - best == 10, h.epochs().size()
        + " rounds, best " + best);
    double bestMae = h.epochs().get(best - 1).validationMae();
    assertTrue(h.epochs().stream().allMatch(e -> e.validationMae() >= bestMae));

    float[] predicted = fit.model().predict(VALIDATION.inputs());
    double mae = mae(predicted, VALIDATION.targets());
    // XGBoost's own validation MAE of the kept round is what the kept model scores.
    assertEquals(bestMae, mae, 1e-5);
    // This VM's CPU is a low level with rare spikes: the median is a strong constant (MAE
    // 0.0069 here) and persistence a weak one (0.0125, it repeats spikes). Seen: GBT 0.0062.
    double constant = medianMae(VALIDATION.targets());
    assertTrue(mae < 0.95 * constant, "GBT MAE " + mae + " vs median " + constant);
    assertTrue(mae < 0.6 * persistence(), "GBT MAE " + mae + " vs persistence " + persistence());
  }

  /** MAE of repeating the last input (the series itself: one feature). */
  static double persistence() {
    double s = 0;
    for (int i = 0; i < VALIDATION.inputs().size(); i++) {
      s += Math.abs(VALIDATION.inputs().get(i)[LOOKBACK - 1] - VALIDATION.targets().get(i)[0]);
    }
    return s / VALIDATION.inputs().size();
  }

  @Test
  void sameSeedSameModelAndFilesRoundTripExactly() {
    GbtSpec spec = new GbtSpec(40, 3, 0.2, 0.7, 0.7, 1.0, 1.0, 0, "reg:absoluteerror", "recursive",
        List.of(), 7);
    GbtFit a = fit(spec);
    GbtFit b = fit(spec);
    float[] pa = a.model().predict(VALIDATION.inputs());
    assertArrayEquals(pa, b.model().predict(VALIDATION.inputs()));
    assertEquals(40, a.history().epochs().size());
    assertEquals(List.of(40), a.bestRounds());
    GbtModel copy = GbtModel.fromFiles(spec, FEATURES, ROLLOUT, 1, a.model().toFiles());
    assertArrayEquals(pa, copy.predict(VALIDATION.inputs()));
  }

  @Test
  void withoutValidationWindowsAllRoundsAreKept() {
    GbtSpec spec = new GbtSpec(15, 3, 0.3, 1.0, 1.0, 1.0, 1.0, 5, "reg:squarederror", "recursive",
        List.of(), 1);
    GbtFit fit = GbtTrainer.fit(spec, FEATURES, ROLLOUT, TRAIN.inputs(), TRAIN.targets(), List.of(),
        List.of(), 1);
    assertEquals(15, fit.history().bestEpoch());
    Epoch last = fit.history().epochs().get(14);
    assertTrue(Double.isNaN(last.validationMae()) && last.trainLoss() > 0, last.toString());
  }
}
