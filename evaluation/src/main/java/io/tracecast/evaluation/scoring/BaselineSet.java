package io.tracecast.evaluation.scoring;

import io.tracecast.evaluation.baseline.Arima;
import io.tracecast.evaluation.baseline.ArimaSettings;
import io.tracecast.evaluation.baseline.Baseline;
import io.tracecast.evaluation.baseline.MovingAverage;
import io.tracecast.evaluation.baseline.Persistence;
import io.tracecast.evaluation.baseline.SeasonalNaive;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.scoring.BaselineForecaster.BaselineFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured baselines as factories executors can build per series, and the one home of a
 * baseline's registry form: a baseline champion is published as {@link #params} (its name and
 * the settings it was scored with) and served again through {@link #fromParams}.
 */
public final class BaselineSet {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "baseline";
  private static final String SEASON_STEPS = "season_steps";
  private static final String MOVING_AVERAGE_STEPS = "moving_average_steps";
  private static final String ARIMA = "arima";

  private BaselineSet() {}

  public static List<BaselineFactory> of(EvaluationSettings settings, long stepSeconds) {
    return settings.baselines().stream().map(name -> factory(name, settings, stepSeconds))
        .toList();
  }

  /**
   * A baseline's registry parameters: its name and the settings it ran with. ARIMA is fitted
   * again per series on the same train split when served (the fit is deterministic), so the
   * spec, not one series' coefficients, is what a job-level version stores.
   */
  public static Map<String, Object> params(String name, EvaluationSettings s, long stepSeconds) {
    factory(name, s, stepSeconds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(NAME, name);
    out.put(SEASON_STEPS, seasonSteps(s, stepSeconds));
    out.put(MOVING_AVERAGE_STEPS, s.movingAverageSteps());
    out.put(ARIMA, JSON.convertValue(s.arima(), Map.class));
    return out;
  }

  /** The baseline a registry version describes (see {@link #params}). */
  public static BaselineFactory fromParams(Map<String, Object> params) {
    Object name = params.get(NAME);
    if (!(name instanceof String n)) {
      throw new IllegalArgumentException("baseline parameters lack '" + NAME + "': " + params);
    }
    return switch (n) {
      case "persistence" -> new Fixed(new Persistence());
      case "seasonal_naive" -> new Fixed(new SeasonalNaive(
          ((Number) params.get(SEASON_STEPS)).intValue()));
      case "moving_average" -> new Fixed(new MovingAverage(
          ((Number) params.get(MOVING_AVERAGE_STEPS)).intValue()));
      case "arima" -> new Fitted(JSON.convertValue(params.get(ARIMA), ArimaSettings.class));
      default -> throw new IllegalArgumentException("unknown baseline " + n);
    };
  }

  private static int seasonSteps(EvaluationSettings s, long stepSeconds) {
    return (int) Math.max(1, s.season().toSeconds() / stepSeconds);
  }

  private static BaselineFactory factory(String name, EvaluationSettings s, long stepSeconds) {
    return switch (name) {
      case "persistence" -> new Fixed(new Persistence());
      case "seasonal_naive" -> new Fixed(new SeasonalNaive(seasonSteps(s, stepSeconds)));
      case "moving_average" -> new Fixed(new MovingAverage(s.movingAverageSteps()));
      case "arima" -> new Fitted(s.arima());
      default -> throw new IllegalArgumentException("unknown baseline " + name);
    };
  }

  /** ARIMA, fitted on each series' train values. */
  private record Fitted(ArimaSettings settings) implements BaselineFactory {
    @Override
    public String name() {
      return "arima";
    }

    @Override
    public Baseline create(double[] trainValues) {
      return Arima.fit(trainValues, settings);
    }

    @Override
    public boolean guarded() {
      return true;
    }
  }

  /** A baseline that learns nothing from the train split. */
  private record Fixed(Baseline baseline) implements BaselineFactory {
    @Override
    public String name() {
      return baseline.name();
    }

    @Override
    public Baseline create(double[] trainValues) {
      return baseline;
    }
  }
}
