package io.tracecast.evaluation.scoring;

import io.tracecast.evaluation.baseline.Arima;
import io.tracecast.evaluation.baseline.ArimaSettings;
import io.tracecast.evaluation.baseline.Baseline;
import io.tracecast.evaluation.baseline.MovingAverage;
import io.tracecast.evaluation.baseline.Persistence;
import io.tracecast.evaluation.baseline.SeasonalNaive;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.scoring.BaselineForecaster.BaselineFactory;
import java.util.List;

/** The configured baselines as factories executors can build per series. */
public final class BaselineSet {
  private BaselineSet() {}

  public static List<BaselineFactory> of(EvaluationSettings settings, long stepSeconds) {
    return settings.baselines().stream().map(name -> factory(name, settings, stepSeconds))
        .toList();
  }

  private static BaselineFactory factory(String name, EvaluationSettings s, long stepSeconds) {
    return switch (name) {
      case "persistence" -> new Fixed(new Persistence());
      case "seasonal_naive" -> new Fixed(new SeasonalNaive(
          (int) Math.max(1, s.season().toSeconds() / stepSeconds)));
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
