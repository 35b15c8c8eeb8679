package io.tracecast.evaluation.config;

import com.typesafe.config.Config;
import io.tracecast.etl.config.ConfigSection;
import io.tracecast.evaluation.provisioning.Headroom;

/**
 * Reads {@code tracecast.evaluate} into {@link EvaluationSettings}; every error names the full
 * key and what was expected.
 */
public final class EvaluationSettingsParser {
  public static final String ROOT = "tracecast.evaluate";

  private EvaluationSettingsParser() {}

  public static EvaluationSettings parse(Config c) {
    ConfigSection s = new ConfigSection(c, ROOT);
    try {
      return new EvaluationSettings(c.getStringList(s.path("baselines")),
          c.getDuration(s.path("season")), (int) s.atLeast("moving-average-steps", 1),
          nonNegative(s, "mape-floor"), c.getString(s.path("model-ref")),
          c.getString(s.path("champion.metric")), c.getString(s.path("champion.alias")),
          new Headroom(nonNegative(s, "provisioning.headroom"),
              c.getDouble(s.path("provisioning.floor"))),
          (int) s.atLeast("inference.batch-size", 1),
          (int) s.atLeast("inference.threads-per-task", 1),
          (int) s.atLeast("report.trace-steps", 2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ROOT + ": " + e.getMessage(), e);
    }
  }

  private static double nonNegative(ConfigSection s, String key) {
    double v = s.config().getDouble(s.path(key));
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw s.bad(key, "a finite number >= 0, got " + v);
    }
    return v;
  }
}
