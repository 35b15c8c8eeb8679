package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.fedByInput;
import static io.tracecast.training.network.BodyLayers.lstm;

import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;

/** {@code lstm}: one LSTM layer and a dense output (the per-job model of the Google-2019 study). */
public final class Lstm extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  /** Cost: walks the lookback step by step: 6.5 x an mlp per window (as gru, measured). */
  public Lstm() {
    super("lstm", 1, 6.5, KindParamsForm.NONE);
  }

  @Override
  public ModelSpec defaults() {
    return spec(List.of(50), 0, List.of(), TrainingConfig.DEFAULT);
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    g.addLayer("lstm", new LastTimeStep(fedByInput(lstm(spec.units().get(0), 0))), in);
    return "lstm";
  }
}
