package io.tracecast.training.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.tracecast.etl.config.ConfigSection;
import io.tracecast.training.model.ModelKind;
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
    return new TrainSettings(models(c, "models"),
        atLeast(c, "data-parallel-min-windows", 1),
        (int) atLeast(c, "averaging-frequency", 1),
        (int) atLeast(c, "threads-per-task", 1),
        c.getString(path("checkpoint-dir")),
        optionalInt(c, "max-epochs"), optionalInt(c, "patience"), optionalInt(c, "batch-size"),
        optionalRate(c, "learning-rate"), c.getLong(path("seed")), units, quantiles(c),
        c.getBoolean(path("residual")));
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

  /** Parses {@code lstm,gru} as given on the command line, with {@code what} in errors. */
  public static List<ModelKind> kinds(List<String> ids, String what) {
    try {
      return ids.stream().map(ModelKind::fromId).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }

  private static List<ModelKind> models(Config c, String key) {
    List<String> ids = c.getStringList(path(key));
    if (ids.isEmpty()) {
      throw bad(c, key, "a non-empty list of model kinds");
    }
    try {
      return kinds(ids, path(key));
    } catch (IllegalArgumentException e) {
      throw bad(c, key, e.getMessage());
    }
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
