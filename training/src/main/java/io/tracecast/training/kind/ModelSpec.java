package io.tracecast.training.kind;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.training.registry.ModelOutput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What network to train, independent of the data it will see (the shape comes from the dataset
 * manifest at build time): the components every network kind has, plus the kind's own
 * hyperparameters as {@link #params}, a record the kind defines. The registry metadata, the
 * checkpoints, the HOCON configuration and the Spark planner carry "a spec" without switching on
 * its kind; the compact constructor rejects what makes no sense for the kind.
 *
 * @param kind the architecture
 * @param units hidden sizes, outermost first ({@link NetworkArchitecture#unitLayers()} of them):
 *     LSTM/GRU units, or dense units for {@code mlp} and {@code cnn}; per direction for
 *     {@code bilstm_attention}
 * @param dropout the fraction of activations dropped (0 = none); DL4J's own {@code dropOut(p)}
 *     takes the retain probability, the builder converts
 * @param quantiles ascending levels in (0, 1) trained with the pinball loss, or empty for a point
 *     forecast trained with MSE; {@code [0.5]} is a median forecast (L1), the right objective
 *     when models are judged by MAE
 * @param training optimiser, batches, epochs, early stopping, seed
 * @param residual the network forecasts a correction to the last observed value of each target
 *     (a skip connection from the input): it starts as persistence, the forecast to beat at a
 *     5-minute step, and learns only what persistence misses
 * @param lookbackUsed how many of the window's most recent steps the network looks at (a
 *     suffix of the dataset's lookback, cropped inside the network so it still takes the full
 *     window); 0 = all of them
 * @param params the kind's own hyperparameters, of its {@link NetworkArchitecture#params()} type
 */
public record ModelSpec(NetworkArchitecture kind, List<Integer> units, double dropout,
    List<Double> quantiles, TrainingConfig training, boolean residual, int lookbackUsed,
    KindParams params) implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelSpec {
    if (kind == null || training == null || params == null) {
      throw new IllegalArgumentException("kind, training and params are required");
    }
    units = List.copyOf(units);
    quantiles = List.copyOf(quantiles);
    String where = kind.id() + ": ";
    if (units.size() != kind.unitLayers()) {
      throw new IllegalArgumentException(where + "expected " + kind.unitLayers()
          + " hidden sizes, got " + units);
    }
    if (units.stream().anyMatch(u -> u < 1)) {
      throw new IllegalArgumentException(where + "hidden sizes must be >= 1, got " + units);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(where + "dropout must be in [0, 1), got " + dropout);
    }
    if (!kind.params().type().isInstance(params)) {
      throw new IllegalArgumentException(where + "takes " + kind.params().type().getSimpleName()
          + " hyperparameters, got " + params);
    }
    if (lookbackUsed < 0) {
      throw new IllegalArgumentException(where + "lookbackUsed must be >= 0 (0: the whole "
          + "window), got " + lookbackUsed);
    }
    if (!ModelOutput.validLevels(quantiles)) {
      throw new IllegalArgumentException(where
          + "quantiles must be strictly ascending in (0, 1), got " + quantiles);
    }
    kind.check(units, dropout);
  }

  /**
   * Reads a spec's JSON as {@code metadata.json}, a checkpoint's {@code state.json} or a trial log
   * hold it, including specs written before the kind's own hyperparameters moved into
   * {@code params} (the kind reads its former fields, {@link KindParamsForm#read}).
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ModelSpec fromJson(JsonNode n) {
    NetworkArchitecture kind = ModelKinds.network(n.path("kind").asText());
    try {
      return new ModelSpec(kind, ints(n.path("units")), n.path("dropout").asDouble(0),
          doubles(n.path("quantiles")), JSON.treeToValue(n.get("training"),
              TrainingConfig.class), n.path("residual").asBoolean(false),
          n.path("lookbackUsed").asInt(0), kind.params().read(n, JSON));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(kind.id() + ": unreadable training configuration in "
          + n + ": " + e.getOriginalMessage(), e);
    }
  }

  private static List<Integer> ints(JsonNode a) {
    List<Integer> out = new ArrayList<>();
    a.forEach(v -> out.add(v.asInt()));
    return out;
  }

  private static List<Double> doubles(JsonNode a) {
    List<Double> out = new ArrayList<>();
    a.forEach(v -> out.add(v.asDouble()));
    return out;
  }

  /** The kind's own hyperparameters as their record type (the kind's code reads them so). */
  public <P extends KindParams> P params(Class<P> type) {
    if (!type.isInstance(params)) {
      throw new IllegalStateException(kind.id() + " has " + params.getClass().getSimpleName()
          + " hyperparameters, not " + type.getSimpleName());
    }
    return type.cast(params);
  }

  public ModelSpec withTraining(TrainingConfig newTraining) {
    return new ModelSpec(kind, units, dropout, quantiles, newTraining, residual, lookbackUsed,
        params);
  }

  public ModelSpec withUnits(List<Integer> newUnits) {
    return new ModelSpec(kind, newUnits, dropout, quantiles, training, residual, lookbackUsed,
        params);
  }

  public ModelSpec withQuantiles(List<Double> levels) {
    return new ModelSpec(kind, units, dropout, levels, training, residual, lookbackUsed,
        params);
  }

  public ModelSpec withResidual(boolean on) {
    return new ModelSpec(kind, units, dropout, quantiles, training, on, lookbackUsed, params);
  }

  /** This spec looking at the last {@code steps} of the window (0: all of it). */
  public ModelSpec withLookbackUsed(int steps) {
    return new ModelSpec(kind, units, dropout, quantiles, training, residual, steps, params);
  }

  /** This spec with dropout {@code fraction}. */
  public ModelSpec withDropout(double fraction) {
    return new ModelSpec(kind, units, fraction, quantiles, training, residual, lookbackUsed,
        params);
  }

  /** This spec with the kind's own hyperparameters replaced. */
  public ModelSpec withParams(KindParams newParams) {
    return new ModelSpec(kind, units, dropout, quantiles, training, residual, lookbackUsed,
        newParams);
  }

  /** Time steps the network sees of a window of {@code lookback} steps. */
  public int stepsSeen(int lookback) {
    if (lookbackUsed > lookback) {
      throw new IllegalArgumentException(kind.id() + ": lookbackUsed " + lookbackUsed
          + " exceeds the dataset's lookback " + lookback);
    }
    return lookbackUsed == 0 ? lookback : lookbackUsed;
  }

  /** Columns per (step, target) in the output: the quantile count, or 1 for a point forecast. */
  public int outputsPerTarget() {
    return ModelOutput.outputsPerTarget(quantiles);
  }
}
