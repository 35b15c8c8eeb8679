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

/** {@code stacked_lstm}: LSTM, dropout, LSTM, dropout, dense. */
public final class StackedLstm extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  /** Cost: two recurrent layers (estimated from lstm's 6.5, not measured). */
  public StackedLstm() {
    super("stacked_lstm", 2, 12, KindParamsForm.NONE);
  }

  @Override
  public ModelSpec defaults() {
    return spec(List.of(64, 32), 0.2, List.of(), TrainingConfig.adam(0.01, 16, 50, 10));
  }

  /** The dropout is the second LSTM's input dropout and the output layer's (the head's). */
  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    List<Integer> u = spec.units();
    g.addLayer("lstm1", fedByInput(lstm(u.get(0), 0)), in);
    g.addLayer("lstm2", new LastTimeStep(lstm(u.get(1), spec.dropout())), "lstm1");
    return "lstm2";
  }
}
