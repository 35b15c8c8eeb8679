package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.conv1d;
import static io.tracecast.training.network.BodyLayers.dense;
import static io.tracecast.training.network.BodyLayers.flatten;

import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * {@code cnn}: Conv1D (ReLU), flattened, a dense hidden layer, dense output. Its convolution:
 * {@code tracecast.train.cnn { filters, kernel }} ({@link Convolution}).
 */
public final class Cnn extends WindowNetwork {
  private static final long serialVersionUID = 1L;
  private static final KindParamsForm<Convolution> PARAMS = Convolution.form("cnn");

  @Override
  public String id() {
    return "cnn";
  }

  @Override
  public Set<Scope> scopes() {
    return WINDOW_NETWORK_SCOPES;
  }

  /** 8 600 windows/s against mlp's 12 500 on the Bitbrains sample, one thread (2026-12-01). */
  @Override
  public double costPerWindow() {
    return 1.5;
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
    g.addVertex("flat", flatten(c.filters() * shape.lookback()), "conv");
    g.addLayer("dense", dense(spec.units().get(0)), "flat");
    return "dense";
  }
}
