package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.lstm;

import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;

/**
 * {@code cnn_lstm}: Conv1D (ReLU) over the sequence, then an LSTM, then dense. Its convolution:
 * {@code tracecast.train.cnn_lstm { filters, kernel }} ({@link Convolution}).
 */
public final class CnnLstm extends WindowNetwork {
  private static final long serialVersionUID = 1L;
  private static final KindParamsForm<Convolution> PARAMS = Convolution.form("cnn_lstm");

  /** Cost: the LSTM's steps plus the convolution (estimated from lstm's 6.5). */
  public CnnLstm() {
    super("cnn_lstm", 1, 7, PARAMS);
  }

  @Override
  public ModelSpec defaults() {
    return spec(List.of(50), 0, List.of(), TrainingConfig.DEFAULT);
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    String conv = spec.params(Convolution.class).addTo(g, in);
    g.addLayer("lstm", new LastTimeStep(lstm(spec.units().get(0), 0)), conv);
    return "lstm";
  }
}
