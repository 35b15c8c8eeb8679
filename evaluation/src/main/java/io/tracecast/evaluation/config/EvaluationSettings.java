package io.tracecast.evaluation.config;

import io.tracecast.evaluation.baseline.ArimaSettings;
import io.tracecast.evaluation.interval.IntervalCalibration;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * {@code tracecast.evaluate}, parsed and validated once at start-up (see conf/application.conf
 * for what each setting means).
 *
 * @param baselines baseline names, in table order
 * @param season seasonal naive's season (1 day by default)
 * @param modelRef which version of each (job, model) to score: {@code latest}, {@code vN} or
 *     an alias
 * @param championMetric {@code validation_mae} or {@code validation_rmse}
 * @param championAlias the alias set on each job's champion; empty to leave aliases alone
 * @param traceSteps points per plotted forecast trace (576 = 2 days at 5 minutes)
 * @param ensembleMembers the ensemble candidate is the median of this many best candidates by
 *     validation MAE; 0 or 1 = no ensemble
 * @param intervalLevels nominal coverages of the split-conformal intervals every forecast gets,
 *     as fractions, ascending (config: percent, as Nixtla's {@code level}); empty = none
 * @param intervalCalibration split (validation residuals, once per key) or rolling (the most
 *     recent residuals known at each forecast's origin)
 * @param startupDelay how long capacity takes to start: the horizon a provisioning decision
 *     must cover, reported for the upper interval bound at that step
 * @param folds backtest folds: the test split is cut into this many rolling test windows, each
 *     scored on its own (1 = one test window)
 */
public record EvaluationSettings(List<String> baselines, Duration season,
    int movingAverageSteps, ArimaSettings arima, double mapeFloor,
    io.tracecast.training.registry.VersionRef modelRef,
    String championMetric, String championAlias, ProvisioningSettings provisioning,
    int batchSize, int threadsPerTask, int traceSteps, int ensembleMembers,
    List<Double> intervalLevels, IntervalCalibration intervalCalibration, Duration startupDelay,
    int folds, io.tracecast.evaluation.autoscaling.AutoscalingSettings autoscaling)
    implements Serializable {

  public static final List<String> KNOWN_BASELINES =
      List.of("persistence", "seasonal_naive", "moving_average", "arima");
  /**
   * The horizon step that covers the start-up delay at this step length (at least 1, at most
   * {@code horizon}: a shorter horizon reports its last step).
   */
  public int startupDelaySteps(long stepSeconds, int horizon) {
    long steps = (startupDelay.getSeconds() + stepSeconds - 1) / stepSeconds;
    return (int) Math.max(1, Math.min(horizon, steps));
  }

  /** These settings with {@code k} backtest folds (a refit fold's own evaluate scores one). */
  public EvaluationSettings withFolds(int k) {
    return new EvaluationSettings(baselines, season, movingAverageSteps, arima, mapeFloor,
        modelRef, championMetric, championAlias, provisioning, batchSize, threadsPerTask,
        traceSteps, ensembleMembers, intervalLevels, intervalCalibration, startupDelay, k,
        autoscaling);
  }

  /** The interval levels as an array, for the scoring closures. */
  public double[] intervalLevelArray() {
    return intervalLevels.stream().mapToDouble(Double::doubleValue).toArray();
  }

  public static final List<String> CHAMPION_METRICS = List.of("validation_mae", "validation_rmse");

  public EvaluationSettings {
    baselines = List.copyOf(baselines);
    intervalLevels = List.copyOf(intervalLevels);
    for (int i = 0; i < intervalLevels.size(); i++) {
      double l = intervalLevels.get(i);
      if (!(l > 0 && l < 1) || (i > 0 && !(l > intervalLevels.get(i - 1)))) {
        throw new IllegalArgumentException("interval levels must ascend strictly within (0, 1),"
            + " got " + intervalLevels);
      }
    }
    // the fields are assigned after this body: the levels from the parameter
    int minWindow = IntervalCalibration.minWindow(
        intervalLevels.stream().mapToDouble(Double::doubleValue).toArray());
    if (intervalCalibration.mode() == IntervalCalibration.Mode.ROLLING
        && intervalCalibration.window() < minWindow) {
      throw new IllegalArgumentException("a rolling window of " + intervalCalibration.window()
          + " residuals gives no band at levels " + intervalLevels + ": at least " + minWindow);
    }
    for (String b : baselines) {
      if (!KNOWN_BASELINES.contains(b)) {
        throw new IllegalArgumentException("unknown baseline '" + b + "', expected one of "
            + KNOWN_BASELINES);
      }
    }
    if (!CHAMPION_METRICS.contains(championMetric)) {
      throw new IllegalArgumentException("unknown champion metric '" + championMetric
          + "', expected one of " + CHAMPION_METRICS);
    }
    if (folds < 1) {
      throw new IllegalArgumentException("backtest folds must be >= 1, got " + folds);
    }
    if (startupDelay.isNegative()) {
      throw new IllegalArgumentException("start-up delay must be >= 0, got " + startupDelay);
    }
    if (season.isNegative() || season.isZero() || movingAverageSteps < 1 || batchSize < 1
        || threadsPerTask < 1 || traceSteps < 2 || !(mapeFloor >= 0)) {
      throw new IllegalArgumentException("season, moving-average steps, batch size, threads "
          + "and trace steps must be positive, mape floor >= 0");
    }
  }
}
