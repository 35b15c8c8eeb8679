package io.tracecast.training.gbt;

import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.training.registry.ModelOutput;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient-boosted-trees hyperparameters ({@code tracecast.train.gbt}), shared by the
 * per-job ({@code gbt}) and the pooled ({@code gbt_global}) kinds. Names follow XGBoost's
 * parameters; {@link #boosterParams} is the one translation into them.
 *
 * @param rounds boosting rounds at most (trees per output column)
 * @param earlyStoppingRounds stop when the validation {@link #evalMetric} has not improved for
 *     this many rounds
 *     (0: never; also never without validation windows); the best round's trees are kept
 * @param objective {@code reg:absoluteerror} (L1, the loss MAE judges) or
 *     {@code reg:squarederror}; point trees only
 * @param strategy how a horizon of H steps is forecast: {@link #RECURSIVE}, one booster per
 *     target for the next step, fed its own forecasts H times ({@link WindowRollout});
 *     {@link #DIRECT}, one booster per (step, target); or {@link #STEP_FEATURE}, one booster
 *     per target on every (window, step h) pair with h as one more feature
 *     ({@link GbtFeatures#steps}). The same forecasts at H = 1 but for step-feature's constant
 *     column. Versions written before the choice existed have none and were direct.
 * @param quantiles levels, strictly ascending in (0, 1), each booster forecasts with XGBoost's
 *     {@link #QUANTILE_OBJECTIVE} (one output per level, in place of {@code objective}); empty
 *     (and absent in versions written before the choice existed): point trees. The point of a
 *     quantile model is its level nearest 0.5 ({@link ModelOutput#pointIndex}).
 */
public record GbtSpec(int rounds, int maxDepth, double eta, double subsample,
    double colsampleByTree, double minChildWeight, double lambda, int earlyStoppingRounds,
    String objective, String strategy, List<Double> quantiles, long seed)
    implements Serializable {

  public static final List<String> OBJECTIVES = List.of("reg:absoluteerror", "reg:squarederror");
  /** XGBoost's pinball-loss objective, one output per level of {@code quantile_alpha}. */
  public static final String QUANTILE_OBJECTIVE = "reg:quantileerror";
  /** The XGBoost parameter naming a quantile booster's levels. */
  public static final String QUANTILE_ALPHA = "quantile_alpha";
  public static final String DIRECT = "direct";
  public static final String RECURSIVE = "recursive";
  /**
   * One booster per target learns every step at once from the window's features plus the step
   * index h in 1..H: H training rows per window, each labelled with the value at its step, and
   * at prediction the same booster evaluated at h = 1..H. Trees can share what the steps have
   * in common (the level, the daily shape) and split on h where they differ, without feeding
   * forecasts back (recursive) or H times the boosters (direct).
   */
  public static final String STEP_FEATURE = "step-feature";
  public static final List<String> STRATEGIES = List.of(RECURSIVE, DIRECT, STEP_FEATURE);

  public GbtSpec {
    strategy = strategy == null ? DIRECT : strategy;
    quantiles = quantiles == null ? List.of() : List.copyOf(quantiles);
    check(rounds >= 1, "rounds must be >= 1, got " + rounds);
    check(maxDepth >= 1 && maxDepth <= 32, "max depth must be in 1..32, got " + maxDepth);
    check(eta > 0 && eta <= 1, "eta must be in (0, 1], got " + eta);
    check(subsample > 0 && subsample <= 1, "subsample must be in (0, 1], got " + subsample);
    check(colsampleByTree > 0 && colsampleByTree <= 1,
        "colsample by tree must be in (0, 1], got " + colsampleByTree);
    check(minChildWeight >= 0 && Double.isFinite(minChildWeight),
        "min child weight must be >= 0, got " + minChildWeight);
    check(lambda >= 0 && Double.isFinite(lambda), "lambda must be >= 0, got " + lambda);
    check(earlyStoppingRounds >= 0, "early stopping rounds must be >= 0, got "
        + earlyStoppingRounds);
    check(OBJECTIVES.contains(objective), "objective must be one of " + OBJECTIVES + ", got "
        + objective);
    check(STRATEGIES.contains(strategy), "strategy must be one of " + STRATEGIES + ", got "
        + strategy);
    check(ModelOutput.validLevels(quantiles), "quantiles must be strictly ascending in (0, 1), "
        + "got " + quantiles);
  }

  /** Outputs per target value of every booster: the levels, or 1 for point trees. */
  public int outputsPerTarget() {
    return ModelOutput.outputsPerTarget(quantiles);
  }

  /** The objective the boosters train with: the quantile one when levels are given. */
  public String boosterObjective() {
    return quantiles.isEmpty() ? objective : QUANTILE_OBJECTIVE;
  }

  /**
   * The validation metric early stopping watches (and the curve records): MAE for point trees;
   * for quantile trees XGBoost's {@code quantile}, the pinball loss averaged over the levels.
   * One booster holds every level, so they stop together, and the pinball loss is what they
   * are fitted to and a proper score of all of them; the median's share of it is half its MAE.
   * XGBoost's {@code mae} of a multi-level booster would compare every level with the label.
   */
  public String evalMetric() {
    return quantiles.isEmpty() ? "mae" : "quantile";
  }

  /** {@code quantile_alpha} as XGBoost parses it ({@code [0.1,0.5,0.9]}), or null. */
  public String quantileAlpha() {
    return quantiles.isEmpty() ? null : quantiles.stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(",", "[", "]"));
  }

  public boolean recursive() {
    return RECURSIVE.equals(strategy);
  }

  public boolean stepFeature() {
    return STEP_FEATURE.equals(strategy);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("gbt: " + message);
    }
  }

  /**
   * The defaults documented in conf/application.conf. The strategy is recursive: at H = 12 on
   * the bundled samples the three strategies were level on test MAE vs persistence (README,
   * "Horizons, intervals and backtests"), and recursive trains in about a tenth of the time.
   */
  public static GbtSpec defaults(long seed) {
    return new GbtSpec(400, 6, 0.05, 0.8, 0.8, 1.0, 1.0, 30, "reg:absoluteerror", RECURSIVE,
        List.of(), seed);
  }

  /**
   * XGBoost's parameter map. {@code nthread} is the task's cores: packed tasks run one per core,
   * so each gets 1, and N of them keep N cores busy without oversubscription.
   */
  public Map<String, Object> boosterParams(int nthread) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", boosterObjective());
    if (!quantiles.isEmpty()) {
      p.put(QUANTILE_ALPHA, quantileAlpha());
    }
    p.put("eval_metric", evalMetric());
    p.put("tree_method", "hist");
    p.put("max_depth", maxDepth);
    p.put("eta", eta);
    p.put("subsample", subsample);
    p.put("colsample_bytree", colsampleByTree);
    p.put("min_child_weight", minChildWeight);
    p.put("lambda", lambda);
    p.put("seed", seed);
    p.put("nthread", nthread);
    p.put("verbosity", 0);
    // XGBoost4J prints every round's evaluation to stdout unless this is 0
    p.put("verbose_eval", 0);
    return p;
  }
}
