package io.tracecast.training.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.tracecast.common.ConfigSection;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code tracecast.train} from a resolved HOCON tree into {@link TrainSettings}. Every
 * error names the full key and what was expected, at start-up, before Spark does any work. Each
 * kind parses its own hyperparameters (its block, e.g. {@code graph} or {@code gbt}); this class
 * reads what every kind shares.
 */
public final class TrainSettingsParser {
  public static final String ROOT = "tracecast.train";

  private TrainSettingsParser() {}

  public static TrainSettings parse(Config c) {
    ConfigSection s = section(c);
    List<String> ids = c.getStringList(path("models"));
    if (ids.isEmpty()) {
      throw bad(c, "models", "a non-empty list of model kinds");
    }
    long seed = c.getLong(path("seed"));
    NetworkOverrides overrides = new NetworkOverrides(optionalInt(c, "max-epochs"),
        optionalInt(c, "patience"), optionalInt(c, "batch-size"),
        optionalRate(c, "learning-rate"), seed, units(c), quantiles(c),
        c.getBoolean(path("residual")));
    Map<NetworkArchitecture, ModelSpec> networks = new HashMap<>();
    for (NetworkArchitecture n : ModelKinds.networks()) {
      networks.put(n, overrides.apply(n.defaults().withParams(n.params().configure(s))));
    }
    return new TrainSettings(models(c, "models", ids),
        atLeast(c, "data-parallel-min-windows", 1),
        efficiency(c, "data-parallel-efficiency"),
        (int) atLeast(c, "averaging-frequency", 1),
        (int) atLeast(c, "threads-per-task", 1),
        c.getString(path("checkpoint-dir")), networks, ModelKinds.GBT.configure(s, seed),
        pooled(c),
        (int) atLeast(c, "seeds", 1));
  }

  /**
   * Parses model ids as given on the command line ({@code lstm,gbt_global,mlp_pattern}), in
   * order and without repeats, with {@code what} in errors.
   */
  public static List<ModelKind> kinds(List<String> ids, String what) {
    List<ModelKind> out = new ArrayList<>();
    for (String id : ids) {
      ModelKind k;
      try {
        k = ModelKinds.parse(id);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
      }
      if (!k.scope().trainable()) {
        throw new IllegalArgumentException(what + ": " + k.id() + " is written by tracecast "
            + "tune, not trained from a model list");
      }
      if (!out.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * {@code tracecast.train.patterns} and the fine-tuning keys ({@code fine-tune-epochs},
   * {@code fine-tune-lr-factor}; absent: defaults).
   */
  private static PooledSettings pooled(Config c) {
    int epochs = has(c, "fine-tune-epochs") ? (int) atLeast(c, "fine-tune-epochs", 1)
        : PooledSettings.DEFAULT_FINE_TUNE_EPOCHS;
    double factor = has(c, "fine-tune-lr-factor") ? c.getDouble(path("fine-tune-lr-factor"))
        : PooledSettings.DEFAULT_FINE_TUNE_LR_FACTOR;
    if (!(factor > 0 && factor <= 1)) {
      throw bad(c, "fine-tune-lr-factor", "a factor in (0, 1], got " + factor);
    }
    PatternSettings patterns = has(c, "patterns") ? patterns(c) : PatternSettings.defaults();
    return new PooledSettings(patterns, epochs, factor);
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

  private static List<ModelKind> models(Config c, String key, List<String> ids) {
    try {
      return kinds(ids, path(key));
    } catch (IllegalArgumentException e) {
      throw bad(c, key, e.getMessage());
    }
  }

  private static boolean has(Config c, String key) {
    return c.hasPath(path(key));
  }

  /** {@code units.<kind>}: a non-empty list of hidden sizes >= 1 per network kind. */
  private static Map<NetworkArchitecture, List<Integer>> units(Config c) {
    Map<NetworkArchitecture, List<Integer>> units = new HashMap<>();
    if (c.hasPath(path("units"))) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig(path("units")).root().entrySet()) {
        String key = "units." + e.getKey();
        List<Integer> u = c.getIntList(path(key));
        NetworkArchitecture kind = kind(c, key, e.getKey());
        if (kind.unitLayers() == 0) {
          throw bad(c, key, "no entry: " + kind.id() + " has no hidden layer, got " + u);
        }
        if (u.size() != kind.unitLayers() || u.stream().anyMatch(x -> x < 1)) {
          throw bad(c, key, kind.unitLayers() + " hidden sizes >= 1 (the kind's layers, "
              + "outermost first), got " + u);
        }
        units.put(kind, u);
      }
    }
    return units;
  }

  private static Map<NetworkArchitecture, List<Double>> quantiles(Config c) {
    Map<NetworkArchitecture, List<Double>> out = new HashMap<>();
    if (!c.hasPath(path("quantiles"))) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : c.getConfig(path("quantiles")).root().entrySet()) {
      String key = "quantiles." + e.getKey();
      List<Double> q = c.getDoubleList(path(key));
      if (!io.tracecast.training.registry.ModelOutput.validLevels(q)) {
        throw bad(c, key, "strictly ascending levels in (0, 1), or [] for MSE, got " + q);
      }
      out.put(kind(c, key, e.getKey()), q);
    }
    return out;
  }

  private static NetworkArchitecture kind(Config c, String key, String id) {
    try {
      return ModelKinds.network(id);
    } catch (IllegalArgumentException e) {
      throw bad(c, key, "a model kind: " + e.getMessage());
    }
  }

  private static long atLeast(Config c, String key, long min) {
    return section(c).atLeast(key, min);
  }

  /** A fraction in (0, 1]. */
  private static double efficiency(Config c, String key) {
    double v = c.getDouble(path(key));
    if (!(v > 0 && v <= 1)) {
      throw bad(c, key, "a fraction in (0, 1], got " + v);
    }
    return v;
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
