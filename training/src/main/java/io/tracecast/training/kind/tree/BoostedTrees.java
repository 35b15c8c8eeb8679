package io.tracecast.training.kind.tree;

import io.tracecast.common.ConfigSection;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.kind.Architecture;
import io.tracecast.training.kind.InputForm;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.registry.Forecaster;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelOutput;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.WindowForecaster;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code gbt}: gradient-boosted trees (XGBoost, L1 objective by default, or one output per
 * quantile level with the pinball loss) on the windows' lags
 * and per-channel lookback statistics ({@link io.tracecast.training.gbt.GbtFeatures}): one
 * booster per target fed its own forecasts over the horizon (recursive), one per output column
 * (direct) or one per target with the horizon step as a feature (step-feature); the default is
 * {@link GbtSpec#defaults}'. Per job ({@code gbt}, xgboost4j in a packed task), over every job
 * ({@code gbt_global}) or per usage pattern ({@code gbt_pattern}), both with XGBoost4J-Spark.
 * Hyperparameters: {@code tracecast.train.gbt} ({@link GbtSpec}).
 */
public final class BoostedTrees implements Architecture {
  private static final long serialVersionUID = 1L;
  /** The configuration block of the trees' hyperparameters. */
  static final String BLOCK = "gbt";

  @Override
  public String id() {
    return "gbt";
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.GBT;
  }

  @Override
  public InputForm input() {
    return InputForm.WINDOW;
  }

  @Override
  public Set<Scope> scopes() {
    return Set.of(Scope.JOB, Scope.GLOBAL, Scope.PATTERN);
  }

  /**
   * One booster per job in a packed task (xgboost4j); the pooled scopes train distributed with
   * XGBoost4J-Spark instead.
   */
  @Override
  public boolean dataParallel() {
    return false;
  }

  /** Boosting up to hundreds of rounds on every lag: put near a recurrent network. */
  @Override
  public double costPerWindow() {
    return 4;
  }

  /**
   * {@code tracecast.train.gbt}: every key optional, absent ones keep {@link GbtSpec#defaults};
   * the seed is the run's {@code tracecast.train.seed}.
   */
  public GbtSpec configure(ConfigSection train, long seed) {
    GbtSpec d = GbtSpec.defaults(seed);
    int rounds = (int) (has(train, "rounds") ? train.atLeast(key("rounds"), 1) : d.rounds());
    int depth = (int) (has(train, "max-depth") ? train.atLeast(key("max-depth"), 1)
        : d.maxDepth());
    if (depth > 32) {
      throw train.bad(key("max-depth"), "a tree depth in 1..32, got " + depth);
    }
    double eta = fraction(train, "eta", d.eta());
    double subsample = fraction(train, "subsample", d.subsample());
    double colsample = fraction(train, "colsample-bytree", d.colsampleByTree());
    double minChild = nonNegative(train, "min-child-weight", d.minChildWeight());
    double lambda = nonNegative(train, "lambda", d.lambda());
    int patience = (int) (has(train, "early-stopping-rounds")
        ? train.atLeast(key("early-stopping-rounds"), 0) : d.earlyStoppingRounds());
    String objective = has(train, "objective")
        ? train.config().getString(train.path(key("objective"))) : d.objective();
    if (!GbtSpec.OBJECTIVES.contains(objective)) {
      throw train.bad(key("objective"), "one of " + GbtSpec.OBJECTIVES + ", got " + objective);
    }
    String strategy = has(train, "strategy")
        ? train.config().getString(train.path(key("strategy"))) : d.strategy();
    if (!GbtSpec.STRATEGIES.contains(strategy)) {
      throw train.bad(key("strategy"), "one of " + GbtSpec.STRATEGIES + ", got " + strategy);
    }
    List<Double> quantiles = has(train, "quantiles")
        ? train.config().getDoubleList(train.path(key("quantiles"))) : d.quantiles();
    if (!ModelOutput.validLevels(quantiles)) {
      throw train.bad(key("quantiles"), "strictly ascending levels in (0, 1), or [] for point "
          + "trees, got " + quantiles);
    }
    return new GbtSpec(rounds, depth, eta, subsample, colsample, minChild, lambda, patience,
        objective, strategy, quantiles, seed);
  }

  @Override
  public Forecaster load(ModelRegistry registry, ModelVersion version, ModelMetadata metadata) {
    GbtModel model = GbtModel.load(registry, version, metadata);
    return new WindowForecaster() {
      @Override
      public List<Double> quantiles() {
        return model.spec().quantiles();
      }

      @Override
      public float[][] forecast(List<float[]> inputs) {
        float[] flat = model.predict(inputs);
        int width = model.outputWidth();
        float[][] out = new float[inputs.size()][];
        for (int b = 0; b < out.length; b++) {
          out[b] = Arrays.copyOfRange(flat, b * width, (b + 1) * width);
        }
        return out;
      }
    };
  }

  private static String key(String name) {
    return BLOCK + "." + name;
  }

  private static boolean has(ConfigSection train, String name) {
    return train.config().hasPath(train.path(key(name)));
  }

  /** A value in (0, 1]. */
  private static double fraction(ConfigSection train, String name, double fallback) {
    if (!has(train, name)) {
      return fallback;
    }
    double v = train.config().getDouble(train.path(key(name)));
    if (!(v > 0 && v <= 1)) {
      throw train.bad(key(name), "a value in (0, 1], got " + v);
    }
    return v;
  }

  private static double nonNegative(ConfigSection train, String name, double fallback) {
    if (!has(train, name)) {
      return fallback;
    }
    double v = train.config().getDouble(train.path(key(name)));
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw train.bad(key(name), "a finite value >= 0, got " + v);
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoostedTrees;
  }

  @Override
  public int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    return id();
  }
}
