package io.tracecast.training.registry;

import java.util.List;

/** A model that forecasts one window at a time. */
public non-sealed interface WindowForecaster extends Forecaster {
  /**
   * Outputs {@code [windows][horizon * targets * outputsPerTarget]} of the windows' flat,
   * time-major model-space inputs (the dataset's {@code inputs} column).
   */
  float[][] forecast(List<float[]> inputs);
}
