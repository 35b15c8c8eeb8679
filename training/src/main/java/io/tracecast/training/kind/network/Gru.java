package io.tracecast.training.kind.network;

import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.layer.GruLayer;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/** {@code gru}: one GRU layer and a dense output (a SameDiff layer: DL4J has no GRU layer). */
public final class Gru extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  /**
   * Cost: 1 860 windows/s against mlp's 12 500 on the Bitbrains sample, one thread (2026-12-01).
   */
  public Gru() {
    super("gru", 1, 6.5, KindParamsForm.NONE);
  }

  @Override
  public ModelSpec defaults() {
    return spec(List.of(50), 0, List.of(), TrainingConfig.DEFAULT);
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    g.addLayer("gru", new GruLayer(spec.units().get(0)), in);
    return "gru";
  }
}
