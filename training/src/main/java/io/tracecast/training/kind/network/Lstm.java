package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.fedByInput;
import static io.tracecast.training.network.BodyLayers.lstm;

import io.tracecast.training.kind.KindParams;
import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;

/** {@code lstm}: one LSTM layer and a dense output (the per-job model of the Google-2019 study). */
public final class Lstm extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  @Override
  public String id() {
    return "lstm";
  }

  @Override
  public Set<Scope> scopes() {
    return WINDOW_NETWORK_SCOPES;
  }

  /** Walks the lookback step by step: 6.5 x an mlp per window (as gru, measured). */
  @Override
  public double costPerWindow() {
    return 6.5;
  }

  @Override
  public int unitLayers() {
    return 1;
  }

  @Override
  public ModelSpec defaults() {
    return new ModelSpec(this, List.of(50), 0, List.of(), TrainingConfig.adam(1e-3, 64, 100, 10),
        false, 0, KindParams.NONE);
  }

  @Override
  public KindParamsForm<?> params() {
    return KindParamsForm.NONE;
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    g.addLayer("lstm", new LastTimeStep(fedByInput(lstm(spec.units().get(0), 0))), in);
    return "lstm";
  }
}
