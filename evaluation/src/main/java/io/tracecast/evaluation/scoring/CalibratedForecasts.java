package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.evaluation.interval.IntervalCalibration;
import org.apache.spark.sql.Dataset;

/**
 * Forecasts with their conformal intervals attached ({@link ForecastRow#getIntervals}), and the
 * bands a served version carries into the future (the registry's {@code _intervals} copy):
 * the one place the calibration mode is decided.
 *
 * @param forecasts every row, its intervals set (null where its key has no band)
 * @param served per key, the offsets predict widens a future forecast by: the split band, or
 *     the rolling band of the last residuals at the end of the data
 */
public record CalibratedForecasts(Dataset<ForecastRow> forecasts, ConformalBands served) {

  /**
   * Calibrates {@code forecasts} (validation and test rows) as {@code how} says, at {@code
   * levels}, clipped to the manifest's target ranges.
   */
  public static CalibratedForecasts of(Dataset<ForecastRow> forecasts, double[] levels,
      IntervalCalibration how, Manifest m) {
    ConformalBands split = ConformalBands.calibrate(forecasts, levels)
        .clippedTo(m.targetBounds());
    return switch (how.mode()) {
      case SPLIT -> new CalibratedForecasts(split.attach(forecasts), split);
      case ROLLING -> new CalibratedForecasts(
          RollingBands.attach(forecasts, split, how, m.stepSeconds()),
          RollingBands.served(forecasts, split, how, m.stepSeconds()));
    };
  }
}
