package io.tracecast.training.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.tracecast.common.ConfigSection;
import io.tracecast.training.gbt.GbtKind;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.model.GraphConfig;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.pattern.PooledKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code tracecast.train} from a resolved HOCON tree into {@link TrainSettings}. Every
 * error names the full key and what was expected, at start-up, before Spark does any work.
 */
public final class TrainSettingsParser {
  public static final String ROOT = "tracecast.train";

  private TrainSettingsParser() {}

  public static TrainSettings parse(Config c) {
    Map<ModelKind, List<Integer>> units = new EnumMap<>(ModelKind.class);
    if (c.hasPath(path("units"))) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig(path("units")).root().entrySet()) {
        String key = "units." + e.getKey();
        List<Integer> u = c.getIntList(path(key));
        if (u.isEmpty() || u.stream().anyMatch(x -> x < 1)) {
          throw bad(c, key, "a list of hidden sizes >= 1, got " + u);
        }
        units.put(kind(c, key, e.getKey()), u);
      }
    }
    List<String> ids = c.getStringList(path("models"));
    if (ids.isEmpty()) {
      throw bad(c, "models", "a non-empty list of model kinds");
    }
    long seed = c.getLong(path("seed"));
    return new TrainSettings(models(c, "models", ids),
        atLeast(c, "data-parallel-min-windows", 1),
        (int) atLeast(c, "averaging-frequency", 1),
        (int) atLeast(c, "threads-per-task", 1),
        c.getString(path("checkpoint-dir")),
        optionalInt(c, "max-epochs"), optionalInt(c, "patience"), optionalInt(c, "batch-size"),
        optionalRate(c, "learning-rate"), seed, units, quantiles(c),
        c.getBoolean(path("residual")), gbtKinds(ids), gbt(c, seed), pooled(c, ids),
        graph(c));
  }

  /**
   * {@code tracecast.train.graph}: heads and gcn-layers (>= 1), top-k (a fraction in (0, 1]);
   * absent keys keep {@link GraphConfig#DEFAULTS}.
   */
  private static GraphConfig graph(Config c) {
    GraphConfig d = GraphConfig.DEFAULTS;
    int heads = (int) (has(c, "graph.heads") ? atLeast(c, "graph.heads", 1) : d.heads());
    int layers = (int) (has(c, "graph.gcn-layers") ? atLeast(c, "graph.gcn-layers", 1)
        : d.gcnLayers());
    return new GraphConfig(heads, layers, fraction(c, "graph.top-k", d.topK()));
  }

  /**
   * The pooled networks among the model ids, {@code tracecast.train.patterns} and the
   * fine-tuning keys ({@code fine-tune-epochs}, {@code fine-tune-lr-factor}; absent: defaults).
   */
  private static PooledSettings pooled(Config c, List<String> ids) {
    int epochs = has(c, "fine-tune-epochs") ? (int) atLeast(c, "fine-tune-epochs", 1)
        : PooledSettings.DEFAULT_FINE_TUNE_EPOCHS;
    double factor = has(c, "fine-tune-lr-factor") ? c.getDouble(path("fine-tune-lr-factor"))
        : PooledSettings.DEFAULT_FINE_TUNE_LR_FACTOR;
    if (!(factor > 0 && factor <= 1)) {
      throw bad(c, "fine-tune-lr-factor", "a factor in (0, 1], got " + factor);
    }
    PatternSettings patterns = has(c, "patterns") ? patterns(c) : PatternSettings.defaults();
    try {
      return new PooledSettings(pooledKinds(ids, PooledKind.PATTERN),
          pooledKinds(ids, PooledKind.TUNED), patterns, epochs, factor);
    } catch (IllegalArgumentException e) {
      throw bad(c, "models", e.getMessage());
    }
  }

  /** Reads {@code tracecast.train.patterns}: k ({@code auto} or >= 1), k-max (>= 2), seed. */
  public static PatternSettings patterns(Config c) {
    String key = "patterns.k";
    Optional<Integer> k = Optional.empty();
    if (!"auto".equals(c.getValue(path(key)).unwrapped())) {
      try {
        k = Optional.of(c.getInt(path(key)));
      } catch (ConfigException.WrongType e) {
        throw bad(c, key, "auto or an integer >= 1, got " + c.getValue(path(key)).render());
      }
      if (k.get() < 1) {
        throw bad(c, key, "auto or an integer >= 1, got " + k.get());
      }
    }
    return new PatternSettings(k, (int) atLeast(c, "patterns.k-max", 2),
        c.getLong(path("patterns.seed")));
  }

  /**
   * Parses the network kinds of {@code lstm,gru,gbt,mlp_pattern} as given on the command line,
   * with {@code what} in errors; GBT kinds ({@link #gbtKinds}) and pooled networks
   * ({@link #pooledKinds}) are left to their own lists.
   */
  public static List<ModelKind> kinds(List<String> ids, String what) {
    try {
      return ids.stream().filter(id -> GbtKind.fromId(id).isEmpty() && !isPooled(id))
          .map(ModelKind::fromId).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage() + ", a GBT kind "
          + java.util.Arrays.stream(GbtKind.values()).map(GbtKind::id).toList()
          + " or <kind>_pattern / <kind>_tuned", e);
    }
  }

  /** The GBT kinds among model ids ({@code gbt}, {@code gbt_global}, {@code gbt_pattern}). */
  public static List<GbtKind> gbtKinds(List<String> ids) {
    return ids.stream().map(GbtKind::fromId).flatMap(java.util.Optional::stream).distinct()
        .toList();
  }

  /**
   * The network kinds requested with {@code variant}'s suffix ({@code mlp_pattern} -> mlp), in
   * order; GBT kinds ({@code gbt_pattern}) are not among them.
   *
   * @throws IllegalArgumentException when the part before a suffix is not a network kind
   */
  public static List<ModelKind> pooledKinds(List<String> ids, PooledKind variant) {
    return ids.stream().filter(id -> GbtKind.fromId(id).isEmpty())
        .map(variant::networkOf).flatMap(Optional::stream).distinct().toList();
  }

  private static boolean isPooled(String id) {
    String s = id.trim().toLowerCase(java.util.Locale.ROOT);
    return java.util.Arrays.stream(PooledKind.values()).anyMatch(v -> s.endsWith(v.suffix()));
  }

  private static List<ModelKind> models(Config c, String key, List<String> ids) {
    try {
      return kinds(ids, path(key));
    } catch (IllegalArgumentException e) {
      throw bad(c, key, e.getMessage());
    }
  }

  /**
   * {@code tracecast.train.gbt}: every key optional, absent ones keep {@link GbtSpec#defaults};
   * the seed is the run's {@code tracecast.train.seed}.
   */
  private static GbtSpec gbt(Config c, long seed) {
    GbtSpec d = GbtSpec.defaults(seed);
    int rounds = (int) (has(c, "gbt.rounds") ? atLeast(c, "gbt.rounds", 1) : d.rounds());
    int depth = (int) (has(c, "gbt.max-depth") ? atLeast(c, "gbt.max-depth", 1) : d.maxDepth());
    if (depth > 32) {
      throw bad(c, "gbt.max-depth", "a tree depth in 1..32, got " + depth);
    }
    double eta = fraction(c, "gbt.eta", d.eta());
    double subsample = fraction(c, "gbt.subsample", d.subsample());
    double colsample = fraction(c, "gbt.colsample-bytree", d.colsampleByTree());
    double minChild = nonNegative(c, "gbt.min-child-weight", d.minChildWeight());
    double lambda = nonNegative(c, "gbt.lambda", d.lambda());
    int patience = (int) (has(c, "gbt.early-stopping-rounds")
        ? atLeast(c, "gbt.early-stopping-rounds", 0) : d.earlyStoppingRounds());
    String objective = has(c, "gbt.objective") ? c.getString(path("gbt.objective"))
        : d.objective();
    if (!GbtSpec.OBJECTIVES.contains(objective)) {
      throw bad(c, "gbt.objective", "one of " + GbtSpec.OBJECTIVES + ", got " + objective);
    }
    return new GbtSpec(rounds, depth, eta, subsample, colsample, minChild, lambda, patience,
        objective, seed);
  }

  private static boolean has(Config c, String key) {
    return c.hasPath(path(key));
  }

  /** A value in (0, 1]. */
  private static double fraction(Config c, String key, double fallback) {
    if (!has(c, key)) {
      return fallback;
    }
    double v = c.getDouble(path(key));
    if (!(v > 0 && v <= 1)) {
      throw bad(c, key, "a value in (0, 1], got " + v);
    }
    return v;
  }

  private static double nonNegative(Config c, String key, double fallback) {
    if (!has(c, key)) {
      return fallback;
    }
    double v = c.getDouble(path(key));
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw bad(c, key, "a finite value >= 0, got " + v);
    }
    return v;
  }

  private static Map<ModelKind, List<Double>> quantiles(Config c) {
    Map<ModelKind, List<Double>> out = new EnumMap<>(ModelKind.class);
    if (!c.hasPath(path("quantiles"))) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : c.getConfig(path("quantiles")).root().entrySet()) {
      String key = "quantiles." + e.getKey();
      List<Double> q = c.getDoubleList(path(key));
      for (int i = 0; i < q.size(); i++) {
        if (!(q.get(i) > 0 && q.get(i) < 1) || (i > 0 && q.get(i) <= q.get(i - 1))) {
          throw bad(c, key, "strictly ascending levels in (0, 1), or [] for MSE, got " + q);
        }
      }
      out.put(kind(c, key, e.getKey()), q);
    }
    return out;
  }

  private static ModelKind kind(Config c, String key, String id) {
    try {
      return ModelKind.fromId(id);
    } catch (IllegalArgumentException e) {
      throw bad(c, key, "a model kind: " + e.getMessage());
    }
  }

  private static long atLeast(Config c, String key, long min) {
    return section(c).atLeast(key, min);
  }

  private static Optional<Integer> optionalInt(Config c, String key) {
    return c.hasPath(path(key)) ? Optional.of((int) atLeast(c, key, 1)) : Optional.empty();
  }

  private static Optional<Double> optionalRate(Config c, String key) {
    if (!c.hasPath(path(key))) {
      return Optional.empty();
    }
    double v = c.getDouble(path(key));
    if (!(v > 0) || !Double.isFinite(v)) {
      throw bad(c, key, "a learning rate > 0, got " + v);
    }
    return Optional.of(v);
  }

  private static String path(String key) {
    return ROOT + "." + key;
  }

  private static ConfigException bad(Config c, String key, String expected) {
    return section(c).bad(key, expected);
  }

  private static ConfigSection section(Config c) {
    return new ConfigSection(c, ROOT);
  }
}
