package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.fedByInput;
import static io.tracecast.training.network.BodyLayers.gru;

import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * {@code gru}: one GRU layer (the kernels module's fused GRU: DL4J has no GRU layer) and a dense
 * output. Versions trained before issue 24 hold the SameDiff {@code GruLayer} (same parameters,
 * same maths), which still loads and forecasts them.
 */
public final class Gru extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  /**
   * Cost: as lstm's. Measured 1 860 windows/s against mlp's 12 500 on the Bitbrains sample, one
   * thread (2026-12-01), with the SameDiff GRU; the fused GRU trains somewhat faster than the
   * fused LSTM (1.3x lstm's samples per thread CPU second in one JVM, bench/README.md, issue 24).
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
    g.addLayer("gru", fedByInput(gru(spec.units().get(0))), in);
    return "gru";
  }
}
