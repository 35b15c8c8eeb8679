package io.tracecast.training.gbt;

import io.tracecast.etl.dataset.WindowRollout;

import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Fits a {@link GbtModel} in this JVM with xgboost4j: one booster per output column (with the
 * recursive strategy, per target of the first step only; with step-feature, per target on every
 * step's feature row: {@link GbtModel}), boosted
 * round by round with train and validation as watches ({@link GbtSpec#evalMetric}: MAE, or the
 * mean pinball loss of quantile trees); a column stops after
 * {@link GbtSpec#earlyStoppingRounds} rounds without a better validation metric and keeps its
 * best round's trees. A quantile booster forecasts every level of its column at once.
 * Deterministic for a seed: XGBoost's sampling is seeded, and nthread is fixed.
 */
public final class GbtTrainer {
  /** One watch's value in an evalSet line: {@code \ttrain-mae:0.12} or {@code -quantile:}. */
  private static final Pattern METRIC =
      Pattern.compile("\\t(train|validation)-([a-z]+):([-+0-9.eEnaif]+)");

  private GbtTrainer() {}

  /**
   * @param features the layout, stepped exactly for the step-feature strategy
   *     ({@link GbtFeatures#of})
   * @param trainTargets flat {@code horizon x targets} per window; column k is one booster's label
   * @param rollout how the windows step ahead (used by the recursive strategy only)
   * @param nthread XGBoost threads (1 in a packed task)
   */
  public static GbtFit fit(GbtSpec spec, GbtFeatures features, WindowRollout rollout,
      List<float[]> trainInputs, List<float[]> trainTargets, List<float[]> validationInputs,
      List<float[]> validationTargets, int nthread) {
    if (trainInputs.isEmpty()) {
      throw new IllegalArgumentException("no train windows");
    }
    long start = System.nanoTime();
    int width = trainTargets.get(0).length;
    int columns = GbtModel.boostersFor(spec, features, rollout, width);
    boolean validate = !validationInputs.isEmpty();
    List<Booster> kept = new ArrayList<>();
    List<Integer> bestRounds = new ArrayList<>();
    List<double[][]> curves = new ArrayList<>();
    // [view][split]: the full windows' matrices, then the known channels' (recursive, later steps)
    DMatrix[][] matrices = new DMatrix[2][2];
    try {
      for (int k = 0; k < columns; k++) {
        int view = GbtModel.seesKnownOnly(spec, rollout, k) ? 1 : 0;
        GbtFeatures f = view == 0 ? features : GbtModel.knownFeatures(features, rollout);
        if (matrices[view][0] == null) {
          java.util.function.UnaryOperator<float[]> window = view == 0 ? w -> w : rollout::known;
          matrices[view][0] = matrix(f, trainInputs.stream().map(window).toList());
          matrices[view][1] = validate
              ? matrix(f, validationInputs.stream().map(window).toList()) : null;
        }
        DMatrix train = matrices[view][0];
        DMatrix validation = matrices[view][1];
        int label = GbtModel.labelOf(spec, rollout, k);
        train.setLabel(labels(trainTargets, f, width, label));
        if (validate) {
          // step-feature: every step's rows, so early stopping judges the MAE over all steps
          validation.setLabel(labels(validationTargets, f, width, label));
        }
        ColumnFit c = fitColumn(spec, train, validation, nthread);
        kept.add(c.booster);
        bestRounds.add(c.bestRound);
        curves.add(c.curve);
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    } finally {
      for (DMatrix[] view : matrices) {
        for (DMatrix m : view) {
          if (m != null) {
            m.dispose();
          }
        }
      }
    }
    GbtModel model = GbtModel.of(spec, features, kept, rollout, width).stored();
    double wall = (System.nanoTime() - start) / 1e9;
    return new GbtFit(model, history(curves, bestRounds, trainInputs.size(), wall,
        !spec.quantiles().isEmpty()), bestRounds);
  }

  private record ColumnFit(Booster booster, int bestRound, double[][] curve) {}

  /** curve[r] = {train, validation} {@link GbtSpec#evalMetric} after round r + 1. */
  private static ColumnFit fitColumn(GbtSpec spec, DMatrix train, DMatrix validation,
      int nthread) throws XGBoostError {
    Map<String, Object> params = spec.boosterParams(nthread);
    DMatrix[] watches = validation == null ? new DMatrix[] {train}
        : new DMatrix[] {train, validation};
    String[] names = validation == null ? new String[] {"train"}
        : new String[] {"train", "validation"};
    // Zero rounds: a booster with the watches in its prediction cache, boosted below.
    Booster booster = XGBoost.train(train, params, 0, Map.of("train", train), null, null);
    List<double[]> curve = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    int bestRound = 0;
    for (int round = 0; round < spec.rounds(); round++) {
      booster.update(train, round);
      double[] metric = parse(booster.evalSet(watches, names, round), spec.evalMetric());
      curve.add(metric);
      if (validation == null) {
        bestRound = round + 1;
        continue;
      }
      if (metric[1] < best) {
        best = metric[1];
        bestRound = round + 1;
      }
      if (spec.earlyStoppingRounds() > 0 && round + 1 - bestRound >= spec.earlyStoppingRounds()) {
        break;
      }
    }
    if (spec.earlyStoppingRounds() == 0) {
      bestRound = curve.size(); // no early stopping: every round is kept
    } else if (bestRound < curve.size()) {
      // Trees past the best round are dropped by boosting a fresh booster for exactly the best
      // round count: same seed, data and thread count give the same first trees. (Snapshotting
      // the booster at every improvement would serialise it O(rounds) times instead.)
      booster.dispose();
      booster = XGBoost.train(train, params, bestRound, Map.of(), null, null);
    }
    return new ColumnFit(booster, bestRound, curve.toArray(new double[0][]));
  }

  /** {train, validation or NaN} values of {@code metric} from an evalSet line. */
  private static double[] parse(String evalLine, String metric) {
    double[] out = {Double.NaN, Double.NaN};
    Matcher m = METRIC.matcher(evalLine);
    while (m.find()) {
      if (m.group(2).equals(metric)) {
        out[m.group(1).equals("train") ? 0 : 1] = Double.parseDouble(m.group(3));
      }
    }
    if (Double.isNaN(out[0])) {
      throw new IllegalStateException("unexpected XGBoost evaluation line: " + evalLine);
    }
    return out;
  }

  /**
   * One epoch per boosting round, each value the mean over output columns (a column that
   * stopped early keeps its last value); the best epoch is the most rounds any column kept
   * (with one column, the round of lowest validation metric). Point trees' losses are MAEs, so
   * the validation loss is also the epoch's validation MAE; quantile trees' are pinball losses,
   * and their rounds track no MAE (NaN: the point's MAE is evaluate's).
   */
  private static TrainingHistory history(List<double[][]> curves, List<Integer> bestRounds,
      int trainWindows, double wallSeconds, boolean quantiles) {
    int rounds = curves.stream().mapToInt(c -> c.length).max().orElse(0);
    List<Epoch> epochs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      double train = 0;
      double val = 0;
      for (double[][] c : curves) {
        double[] at = c[Math.min(r, c.length - 1)];
        train += at[0] / curves.size();
        val += at[1] / curves.size();
      }
      epochs.add(new Epoch(r + 1, train, val, quantiles ? Double.NaN : val));
    }
    int best = bestRounds.stream().mapToInt(Integer::intValue).max().orElse(rounds);
    return new TrainingHistory(epochs, best, wallSeconds,
        trainWindows * (double) rounds / Math.max(wallSeconds, 1e-9));
  }

  private static DMatrix matrix(GbtFeatures features, List<float[]> inputs)
      throws XGBoostError {
    return new DMatrix(features.matrix(inputs), inputs.size() * features.rowsPerWindow(),
        features.width(), Float.NaN);
  }

  /** Label column {@code column} of every feature row of {@code layout}, in matrix order. */
  private static float[] labels(List<float[]> targets, GbtFeatures layout, int width,
      int column) {
    int rows = layout.rowsPerWindow();
    float[] out = new float[targets.size() * rows];
    for (int i = 0; i < targets.size(); i++) {
      for (int r = 0; r < rows; r++) {
        out[i * rows + r] = targets.get(i)[GbtModel.labelIndex(layout, width, r, column)];
      }
    }
    return out;
  }
}
