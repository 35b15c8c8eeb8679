package io.tracecast.evaluation.config;

import com.typesafe.config.Config;
import io.tracecast.common.ConfigSection;
import io.tracecast.evaluation.autoscaling.AutoscalingSettings;
import io.tracecast.evaluation.baseline.ArimaOrder;
import io.tracecast.evaluation.baseline.ArimaSettings;
import io.tracecast.evaluation.interval.IntervalCalibration;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import java.util.List;

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
      return new EvaluationSettings(baselines(s),
          c.getDuration(s.path("season")), (int) s.atLeast("moving-average-steps", 1),
          arima(s), nonNegative(s, "mape-floor"),
          io.tracecast.training.registry.VersionRef.parse(c.getString(s.path("model-ref"))),
          c.getString(s.path("champion.metric")), c.getString(s.path("champion.alias")),
          provisioning(s),
          (int) s.atLeast("inference.batch-size", 1),
          (int) s.atLeast("inference.threads-per-task", 1),
          (int) s.atLeast("report.trace-steps", 2),
          (int) s.atLeast("champion.ensemble-members", 0),
          intervalLevels(s), intervalCalibration(s), c.getDuration(s.path("provisioning.startup-delay")),
          (int) s.atLeast("backtest.folds", 1), autoscaling(s));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ROOT + ": " + e.getMessage(), e);
    }
  }

  private static List<String> baselines(ConfigSection s) {
    List<String> names = s.config().getStringList(s.path("baselines"));
    for (String n : names) {
      if (!EvaluationSettings.KNOWN_BASELINES.contains(n)) {
        throw s.bad("baselines", "names from " + EvaluationSettings.KNOWN_BASELINES + ", got '"
            + n + "'");
      }
    }
    return names;
  }

  /** Percent in (0, 100), ascending, as Nixtla's {@code level=[80, 90]}. */
  private static List<Double> intervalLevels(ConfigSection s) {
    List<Double> percent = s.config().getDoubleList(s.path("intervals.levels"));
    for (int i = 0; i < percent.size(); i++) {
      double p = percent.get(i);
      if (!(p > 0 && p < 100) || (i > 0 && !(p > percent.get(i - 1)))) {
        throw s.bad("intervals.levels", "percentages in (0, 100), ascending, got " + percent);
      }
    }
    return percent.stream().map(p -> p / 100).toList();
  }

  /** {@code intervals.calibration} and, for rolling, a window that gives every level a band. */
  private static IntervalCalibration intervalCalibration(ConfigSection s) {
    IntervalCalibration.Mode mode;
    try {
      mode = IntervalCalibration.Mode.fromLabel(
          s.config().getString(s.path("intervals.calibration")));
    } catch (IllegalArgumentException e) {
      throw s.bad("intervals.calibration", e.getMessage());
    }
    double[] levels = intervalLevels(s).stream().mapToDouble(Double::doubleValue).toArray();
    int min = IntervalCalibration.minWindow(levels);
    int window = (int) s.atLeast("intervals.window", 1);
    if (mode == IntervalCalibration.Mode.ROLLING && window < min) {
      throw s.bad("intervals.window", "at least " + min + " residuals (the fewest that give the "
          + "levels " + s.config().getDoubleList(s.path("intervals.levels")) + " a band), got "
          + window);
    }
    double gamma = s.config().getDouble(s.path("intervals.gamma"));
    if (!(gamma >= 0 && gamma < 1)) {
      throw s.bad("intervals.gamma", "a step size in [0, 1), got " + gamma);
    }
    return new IntervalCalibration(mode, window, gamma);
  }

  private static ArimaSettings arima(ConfigSection s) {
    Config c = s.config();
    ArimaOrder fixed = null;
    if (!c.getValue(s.path("arima.order")).unwrapped().equals("auto")) {
      List<Integer> o = c.getIntList(s.path("arima.order"));
      if (o.size() != 3 || o.stream().anyMatch(x -> x < 0) || o.get(1) > 2) {
        throw s.bad("arima.order", "auto or [p, d, q] with p, q >= 0 and d in 0..2, got " + o);
      }
      fixed = new ArimaOrder(o.get(0), o.get(1), o.get(2));
    }
    try {
      return new ArimaSettings(fixed, (int) s.atLeast("arima.max-p", 0),
          (int) s.atLeast("arima.max-d", 0), (int) s.atLeast("arima.max-q", 0),
          (int) s.atLeast("arima.fit-points", 3), ArimaSettings.DEFAULT_MIN_FIT_POINTS);
    } catch (IllegalArgumentException e) {
      throw s.bad("arima", e.getMessage());
    }
  }

  private static ProvisioningSettings provisioning(ConfigSection s) {
    try {
      return new ProvisioningSettings(nonNegative(s, "provisioning.headroom"),
          nonNegative(s, "provisioning.floor"),
          s.config().getDouble(s.path("provisioning.reactive.upper-utilisation")),
          s.config().getDouble(s.path("provisioning.reactive.lower-utilisation")),
          s.config().getDouble(s.path("provisioning.reactive.scale-up-factor")),
          s.config().getDouble(s.path("provisioning.reactive.scale-down-factor")),
          (int) s.atLeast("provisioning.reactive.cooldown-steps", 0));
    } catch (IllegalArgumentException e) {
      throw s.bad("provisioning", e.getMessage());
    }
  }

  private static AutoscalingSettings autoscaling(ConfigSection s) {
    String a = "provisioning.autoscaling.";
    try {
      Config c = s.config();
      return new AutoscalingSettings(c.getDouble(s.path(a + "max-factor")),
          AutoscalingSettings.Anchor.parse(c.getString(s.path(a + "action-anchor"))),
          (int) s.atLeast(a + "recent-steps", 1), c.getDouble(s.path(a + "floor-fraction")),
          c.getDouble(s.path(a + "ceiling")),
          new AutoscalingSettings.Reward(c.getDouble(s.path(a + "reward.sla")),
              c.getDouble(s.path(a + "reward.shortfall")),
              c.getDouble(s.path(a + "reward.capacity")),
              c.getDouble(s.path(a + "reward.energy")),
              c.getDouble(s.path(a + "reward.idle-power")),
              c.getDouble(s.path(a + "reward.peak-power"))),
          new AutoscalingSettings.OperatingRange(c.getDouble(s.path(a + "operating-range.low")),
              c.getDouble(s.path(a + "operating-range.high"))),
          new AutoscalingSettings.MovingWindow(c.getDouble(s.path(a + "moving-window.percentile")),
              c.getDouble(s.path(a + "moving-window.half-life-steps")),
              (int) s.atLeast(a + "moving-window.window-steps", 1),
              c.getDouble(s.path(a + "moving-window.margin"))));
    } catch (IllegalArgumentException e) {
      throw s.bad("provisioning.autoscaling", e.getMessage());
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
