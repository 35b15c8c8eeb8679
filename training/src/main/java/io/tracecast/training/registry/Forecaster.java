package io.tracecast.training.registry;

import java.util.List;

/**
 * A published trained version, loaded ({@link ModelLoader}) and ready to forecast: model-space
 * inputs of the dataset contract in, model-space outputs in the layout of {@link ModelOutput}
 * out. Evaluation, predict and the ensemble score every trained kind through this, whatever its
 * family. Not thread-safe (a DL4J network's workspaces are per instance): one per task thread.
 */
public sealed interface Forecaster permits WindowForecaster, PanelForecaster {
  /** The quantile levels of the output, ascending; empty for a point forecast. */
  List<Double> quantiles();
}
