package io.tracecast.training.kind.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.ConfigSection;
import io.tracecast.training.kind.KindParams;
import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.network.BodyLayers;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * The Conv1D of {@code cnn} and {@code cnn_lstm}: ReLU filters over the window's steps, same
 * padding.
 *
 * @param filters output channels, >= 1
 * @param kernel width in time steps, >= 1
 */
public record Convolution(int filters, int kernel) implements KindParams {
  /** The defaults of both kinds (the CNN-LSTM study's 32 filters of width 3). */
  public static final Convolution DEFAULTS = new Convolution(32, 3);

  public Convolution {
    if (filters < 1 || kernel < 1) {
      throw new IllegalArgumentException("convolution needs filters and kernel >= 1, got "
          + filters + ", " + kernel);
    }
  }

  /**
   * Adds the convolution named {@code conv} on {@code in} (NCW), the network's input window
   * (cropped or not: nothing with parameters before it, so it computes no input epsilon), to
   * {@code g}; returns its name.
   */
  String addTo(GraphBuilder g, String in) {
    g.addLayer("conv", BodyLayers.fedByInput(BodyLayers.conv1d(filters, kernel)), in);
    return "conv";
  }

  /**
   * The form of a kind's convolution: keys {@code <block>.filters} and {@code <block>.kernel}
   * under {@code tracecast.train}; specs written before {@code params} existed held them as
   * {@code convFilters} and {@code convKernel}.
   */
  static KindParamsForm<Convolution> form(String block) {
    return new KindParamsForm<>() {
      @Override
      public Class<Convolution> type() {
        return Convolution.class;
      }

      @Override
      public Convolution defaults() {
        return DEFAULTS;
      }

      @Override
      public Convolution configure(ConfigSection train) {
        int filters = train.config().hasPath(train.path(block + ".filters"))
            ? (int) train.atLeast(block + ".filters", 1) : DEFAULTS.filters();
        int kernel = train.config().hasPath(train.path(block + ".kernel"))
            ? (int) train.atLeast(block + ".kernel", 1) : DEFAULTS.kernel();
        return new Convolution(filters, kernel);
      }

      @Override
      public Convolution read(JsonNode spec, ObjectMapper json) {
        JsonNode p = spec.path("params");
        return p.isObject() ? new Convolution(p.path("filters").asInt(), p.path("kernel").asInt())
            : new Convolution(spec.path("convFilters").asInt(), spec.path("convKernel").asInt());
      }
    };
  }
}
