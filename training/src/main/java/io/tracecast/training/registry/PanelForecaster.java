package io.tracecast.training.registry;

import io.tracecast.etl.dataset.Panel;
import java.util.List;

/** A model that forecasts every node of a job panel at once (a graph model). */
public non-sealed interface PanelForecaster extends Forecaster {
  /** The nodes the model was built for; a smaller panel is padded with masked nodes. */
  int nodes();

  /**
   * Outputs {@code [panels][nodes * horizon * targets * outputsPerTarget]}, node-major; a masked
   * node's columns mean nothing.
   */
  float[][] forecast(List<Panel> panels);

  /**
   * The learned adjacency averaged over the panels and their steps, {@code [nodes][nodes]} (row
   * i: the weights node i gives its neighbours), for the report's heat map.
   */
  double[][] meanAdjacency(List<Panel> panels);
}
