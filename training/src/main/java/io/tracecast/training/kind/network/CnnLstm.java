package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.conv1d;
import static io.tracecast.training.network.BodyLayers.lstm;

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

/**
 * {@code cnn_lstm}: Conv1D (ReLU) over the sequence, then an LSTM, then dense. Its convolution:
 * {@code tracecast.train.cnn_lstm { filters, kernel }} ({@link Convolution}).
 */
public final class CnnLstm extends WindowNetwork {
  private static final long serialVersionUID = 1L;
  private static final KindParamsForm<Convolution> PARAMS = Convolution.form("cnn_lstm");

  @Override
  public String id() {
    return "cnn_lstm";
  }

  @Override
  public Set<Scope> scopes() {
    return WINDOW_NETWORK_SCOPES;
  }

  /** The LSTM's steps plus the convolution (estimated from lstm's 6.5). */
  @Override
  public double costPerWindow() {
    return 7;
  }

  @Override
  public int unitLayers() {
    return 1;
  }

  @Override
  public ModelSpec defaults() {
    return new ModelSpec(this, List.of(50), 0, List.of(), TrainingConfig.adam(1e-3, 64, 100, 10),
        false, 0, PARAMS.defaults());
  }

  @Override
  public KindParamsForm<?> params() {
    return PARAMS;
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    Convolution c = spec.params(Convolution.class);
    g.addLayer("conv", conv1d(c.filters(), c.kernel()), in);
    g.addLayer("lstm", new LastTimeStep(lstm(spec.units().get(0), 0)), "conv");
    return "lstm";
  }
}
