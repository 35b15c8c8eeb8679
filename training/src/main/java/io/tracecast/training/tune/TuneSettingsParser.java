package io.tracecast.training.tune;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.tracecast.common.ConfigSection;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code tracecast.tune} into {@link TuneSettings}: the search space of each kind is
 * {@code space.<kind>} over {@code space.default}, key by key. Every range is checked here, at
 * start-up, and an error names the full key (the kind's own key when it sets it, else the
 * default's). Whether a lookback range fits the dataset is checked when the dataset is open
 * ({@link #checkLookback}).
 */
public final class TuneSettingsParser {
  public static final String ROOT = "tracecast.tune";

  private TuneSettingsParser() {}

  public static TuneSettings parse(Config c) {
    ConfigSection s = new ConfigSection(c, ROOT);
    String searchId = c.getString(s.path("search"));
    Sampler.Kind search;
    try {
      search = Sampler.Kind.fromId(searchId);
    } catch (IllegalArgumentException e) {
      throw s.bad("search", "tpe or random, got " + searchId);
    }
    Optional<MedianStopping> pruner = c.getBoolean(s.path("pruner.enabled"))
        ? Optional.of(new MedianStopping((int) s.atLeast("pruner.warmup-epochs", 1),
            (int) s.atLeast("pruner.min-reference-trials", 1)))
        : Optional.empty();
    Map<NetworkArchitecture, SearchSpace> spaces = new HashMap<>();
    for (NetworkArchitecture k : ModelKinds.networks()) {
      if (k.scopes().contains(Scope.SEARCHED)) {
        spaces.put(k, space(c, k));
      }
    }
    for (String key : c.getConfig(s.path("space")).root().keySet()) {
      for (String dim : c.getConfig(s.path("space." + key)).root().keySet()) {
        if (!SearchSpace.KEYS.contains(dim)) {
          throw s.bad("space." + key + "." + dim, "one of " + SearchSpace.KEYS);
        }
      }
      if (!key.equals("default")) {
        try {
          ModelKinds.network(key);
        } catch (IllegalArgumentException e) {
          throw s.bad("space." + key, "default or a network kind: " + e.getMessage());
        }
      }
    }
    return new TuneSettings((int) s.atLeast("trials", 1), (int) s.atLeast("parallelism", 1),
        search, c.getLong(s.path("seed")), pruner, spaces);
  }

  /** The full key {@code dimension} of {@code kind} is read from. */
  public static String keyOf(Config c, NetworkArchitecture kind, String dimension) {
    String own = ROOT + ".space." + kind.id() + "." + dimension;
    return c.hasPath(own) ? own : ROOT + ".space.default." + dimension;
  }

  /**
   * Fails, naming the key, when {@code kind}'s lookback range reaches past the dataset's
   * {@code lookback}.
   */
  public static void checkLookback(Config c, SearchSpace space, int lookback) {
    for (Dimension d : space.dimensions()) {
      if (d.name().equals(SearchSpace.LOOKBACK) && d.high() > lookback) {
        String key = keyOf(c, space.kind(), SearchSpace.LOOKBACK);
        throw new ConfigException.BadValue(c.getValue(key).origin(), key, "expected max <= the "
            + "dataset's lookback " + lookback + ", got " + d.high());
      }
    }
  }

  private static SearchSpace space(Config c, NetworkArchitecture kind) {
    int layers = kind.unitLayers();
    List<Dimension> dims = new ArrayList<>();
    for (String name : SearchSpace.KEYS) {
      String key = keyOf(c, kind, name);
      if (!c.hasPath(key)) {
        continue;
      }
      Dimension d = dimension(c, key, name);
      if (name.equals(SearchSpace.HIDDEN)) {
        for (int l = 1; l <= layers; l++) {
          dims.add(new Dimension(SearchSpace.hiddenName(l), d.type(), d.low(), d.high(),
              d.choices()));
        }
      } else {
        dims.add(d);
      }
    }
    return new SearchSpace(kind, dims);
  }

  private static Dimension dimension(Config c, String key, String name) {
    Dimension.Type type;
    String typeId = c.getString(key + ".type");
    try {
      type = Dimension.Type.fromId(typeId);
    } catch (IllegalArgumentException e) {
      throw bad(c, key + ".type", e.getMessage());
    }
    Dimension d;
    try {
      d = type == Dimension.Type.CATEGORICAL
          ? Dimension.categorical(name, c.getList(key + ".values").unwrapped())
          : Dimension.numeric(name, type, c.getDouble(key + ".min"), c.getDouble(key + ".max"));
    } catch (IllegalArgumentException e) {
      throw bad(c, key, e.getMessage());
    }
    String problem = problem(d);
    if (problem != null) {
      throw bad(c, key, problem);
    }
    return d;
  }

  /** What is wrong with the values {@code d} can take for its hyperparameter; null if nothing. */
  private static String problem(Dimension d) {
    List<Object> values = d.isCategorical() ? d.choices() : List.of(d.low(), d.high());
    for (Object v : values) {
      String bad = switch (d.name()) {
        case SearchSpace.HIDDEN, SearchSpace.BATCH_SIZE, SearchSpace.LOOKBACK ->
            v instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == Math.rint(
                n.doubleValue()) ? null : "integers >= 1";
        case SearchSpace.DROPOUT ->
            v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() < 1 ? null
                : "fractions in [0, 1)";
        case SearchSpace.LEARNING_RATE ->
            v instanceof Number n && n.doubleValue() > 0 ? null : "rates > 0";
        case SearchSpace.RESIDUAL -> v instanceof Boolean ? null : "true / false";
        case SearchSpace.LOSS -> SearchSpace.MSE.equals(v) || SearchSpace.MEDIAN.equals(v) ? null
            : SearchSpace.MSE + " / " + SearchSpace.MEDIAN;
        default -> "a known hyperparameter";
      };
      if (bad != null) {
        return "values that are " + bad + ", got " + (d.isCategorical() ? d.choices()
            : "[" + d.low() + ", " + d.high() + "]");
      }
    }
    if ((d.name().equals(SearchSpace.RESIDUAL) || d.name().equals(SearchSpace.LOSS))
        && !d.isCategorical()) {
      return "type = categorical";
    }
    return null;
  }

  private static ConfigException bad(Config c, String key, String expected) {
    return new ConfigException.BadValue(c.hasPath(key) ? c.getValue(key).origin() : c.origin(),
        key, "expected " + expected);
  }
}
