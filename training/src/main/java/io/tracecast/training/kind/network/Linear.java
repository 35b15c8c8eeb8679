package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.flatten;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.ConfigSection;
import io.tracecast.training.kind.KindParams;
import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;

/**
 * {@code linear}: one linear map from the window to the outputs, by default trained with the L1
 * loss (a median forecast, {@code quantiles = [0.5]}; residual to the last value with
 * {@code residual}): the DLinear / NLinear baseline of the forecasting literature (Zeng et al.,
 * AAAI 2023, trained with L1 / MAE there too), which
 * matches or beats much larger networks on many series. With window normalisation and the
 * residual head it is NLinear: the window relative to its last value, mapped linearly, the last
 * value added back. It has no hidden layer: its body is the window itself, flattened, and the
 * head every kind shares (the output layer, or the residual correction) is the map. The inputs
 * are the network input contract's ({@code asinh} of window-normalised values), so on such
 * datasets it is linear in those.
 *
 * <p>Its own hyperparameter, {@code tracecast.train.linear.inputs}: {@code all} (every input
 * channel of every step: targets, other metrics, calendar and seasonal-lag channels) or
 * {@code targets} (only the target channels' history, as NLinear's channel-independent map).
 */
public final class Linear extends WindowNetwork {
  private static final long serialVersionUID = 1L;
  /** The configuration block of its hyperparameter. */
  static final String BLOCK = "linear";

  /** Which input channels the map reads. */
  public enum Channels { ALL, TARGETS }

  /** @param channels the input channels of every step the map reads */
  public record Inputs(Channels channels) implements KindParams {
    public static final Inputs DEFAULTS = new Inputs(Channels.ALL);

    public Inputs {
      if (channels == null) {
        throw new IllegalArgumentException("linear: inputs must be all or targets");
      }
    }
  }

  private static final KindParamsForm<Inputs> PARAMS = new KindParamsForm<>() {
    @Override
    public Class<Inputs> type() {
      return Inputs.class;
    }

    @Override
    public Inputs defaults() {
      return Inputs.DEFAULTS;
    }

    /** {@code linear.inputs}: {@code all} or {@code targets} (any case). */
    @Override
    public Inputs configure(ConfigSection train) {
      String key = BLOCK + ".inputs";
      if (!train.config().hasPath(train.path(key))) {
        return Inputs.DEFAULTS;
      }
      String v = train.config().getString(train.path(key));
      for (Channels c : Channels.values()) {
        if (c.name().equalsIgnoreCase(v.trim())) {
          return new Inputs(c);
        }
      }
      throw train.bad(key, "all or targets, got " + v);
    }

    @Override
    public Inputs read(JsonNode spec, ObjectMapper json) {
      JsonNode p = spec.path("params").path("channels");
      return p.isTextual() ? new Inputs(Channels.valueOf(p.asText().toUpperCase(Locale.ROOT)))
          : Inputs.DEFAULTS;
    }
  };

  /** Cost: one matrix product per window, no hidden layer: half an mlp's (estimated). */
  public Linear() {
    super("linear", 0, 0.5, PARAMS);
  }

  /** The median (L1), Adam at 1e-3, batches of 64, at most 100 epochs, patience 10. */
  @Override
  public ModelSpec defaults() {
    return spec(List.of(), 0, List.of(0.5), TrainingConfig.DEFAULT);
  }

  /** The window's channels the spec reads, flattened step by step (c order, as mlp's). */
  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    if (spec.params(Inputs.class).channels() == Channels.ALL) {
      g.addVertex("flat", flatten(shape.inputLength()), in);
      return "flat";
    }
    if (!shape.targetsAreInputs()) {
      throw new IllegalArgumentException(id() + ": inputs = targets needs every target among "
          + "the input features, got target positions " + shape.targetFeatures());
    }
    List<String> channels = new ArrayList<>();
    for (int k = 0; k < shape.targets(); k++) {
      int feature = shape.targetFeatures().get(k);
      String name = "target_" + k;
      g.addVertex(name, new SubsetVertex(feature, feature), in);
      channels.add(name);
    }
    String targets = channels.get(0);
    if (channels.size() > 1) {
      targets = "targets";
      g.addVertex(targets, new MergeVertex(), channels.toArray(String[]::new));
    }
    g.addVertex("flat", flatten(shape.targets() * shape.lookback()), targets);
    return "flat";
  }
}
