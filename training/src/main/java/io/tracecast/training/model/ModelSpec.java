package io.tracecast.training.model;

import io.tracecast.training.model.TrainingConfig.Schedule;
import io.tracecast.training.model.TrainingConfig.StopMetric;
import java.util.List;

/**
 * What network to train, independent of the data it will see (the shape comes from the dataset
 * manifest at build time). One record for all kinds rather than one per kind: the registry
 * metadata, the HOCON configuration and the Spark planner all carry "a spec" without switching
 * on its type, and {@link ModelKind} decides which fields matter; the compact constructor rejects
 * combinations that make no sense for the kind.
 *
 * @param units hidden sizes, outermost first: LSTM/GRU units, or dense units for {@code mlp} and
 *     {@code cnn}; per direction for {@code bilstm_attention}
 * @param dropout the fraction of activations dropped (0 = none); DL4J's own {@code dropOut(p)}
 *     takes the retain probability, the builder converts
 * @param convFilters Conv1D filters ({@code cnn_lstm}, {@code cnn}; else 0)
 * @param convKernel Conv1D kernel width in time steps ({@code cnn_lstm}, {@code cnn}; else 0)
 * @param quantiles ascending levels in (0, 1) trained with the pinball loss, or empty for a point
 *     forecast trained with MSE; {@code [0.5]} is a median forecast (L1), the right objective
 *     when models are judged by MAE
 * @param residual the network forecasts a correction to the last observed value of each target
 *     (a skip connection from the input): it starts as persistence, the forecast to beat at a
 *     5-minute step, and learns only what persistence misses
 * @param lookbackUsed how many of the window's most recent steps the network looks at (a
 *     suffix of the dataset's lookback, cropped inside the network so it still takes the full
 *     window); 0 = all of them. Metadata written before this field existed reads as 0.
 * @param graph heads, GCN layers and top-k of {@code graph_gru} ({@link GraphConfig#DEFAULTS}
 *     when null); null for every other kind. Metadata written before this field existed has
 *     none, which is right for the kinds that existed then.
 */
public record ModelSpec(ModelKind kind, List<Integer> units, double dropout, int convFilters,
    int convKernel, List<Double> quantiles, TrainingConfig training, boolean residual,
    int lookbackUsed, GraphConfig graph) implements java.io.Serializable {

  /** A spec of a per-window kind (no graph part). */
  public ModelSpec(ModelKind kind, List<Integer> units, double dropout, int convFilters,
      int convKernel, List<Double> quantiles, TrainingConfig training, boolean residual,
      int lookbackUsed) {
    this(kind, units, dropout, convFilters, convKernel, quantiles, training, residual,
        lookbackUsed, null);
  }

  /** A spec that looks at the whole window. */
  public ModelSpec(ModelKind kind, List<Integer> units, double dropout, int convFilters,
      int convKernel, List<Double> quantiles, TrainingConfig training, boolean residual) {
    this(kind, units, dropout, convFilters, convKernel, quantiles, training, residual, 0);
  }

  /** A spec without the residual connection. */
  public ModelSpec(ModelKind kind, List<Integer> units, double dropout, int convFilters,
      int convKernel, List<Double> quantiles, TrainingConfig training) {
    this(kind, units, dropout, convFilters, convKernel, quantiles, training, false, 0);
  }

  public ModelSpec {
    if (kind == null || training == null) {
      throw new IllegalArgumentException("kind and training are required");
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
    if (kind.usesConvolution() != (convFilters > 0 && convKernel > 0)
        || convFilters < 0 || convKernel < 0) {
      throw new IllegalArgumentException(where + (kind.usesConvolution()
          ? "needs convFilters and convKernel >= 1" : "takes no convolution")
          + ", got filters " + convFilters + ", kernel " + convKernel);
    }
    if (kind.isGraph()) {
      graph = graph == null ? GraphConfig.DEFAULTS : graph;
      if (dropout > 0) {
        throw new IllegalArgumentException(where + "takes no dropout, got " + dropout);
      }
    } else if (graph != null) {
      throw new IllegalArgumentException(where + "takes no graph settings, got " + graph);
    }
    if (lookbackUsed < 0) {
      throw new IllegalArgumentException(where + "lookbackUsed must be >= 0 (0: the whole "
          + "window), got " + lookbackUsed);
    }
    for (int i = 0; i < quantiles.size(); i++) {
      double q = quantiles.get(i);
      if (!(q > 0 && q < 1) || (i > 0 && q <= quantiles.get(i - 1))) {
        throw new IllegalArgumentException(where
            + "quantiles must be strictly ascending in (0, 1), got " + quantiles);
      }
    }
  }

  /** The defaults of the issue (and the papers behind it) for each kind. */
  public static ModelSpec defaults(ModelKind kind) {
    TrainingConfig adam = TrainingConfig.adam(1e-3, 64, 100, 10);
    return switch (kind) {
      case LSTM -> new ModelSpec(kind, List.of(50), 0, 0, 0, List.of(), adam);
      case STACKED_LSTM -> new ModelSpec(kind, List.of(64, 32), 0.2, 0, 0, List.of(),
          TrainingConfig.adam(0.01, 16, 50, 10));
      case BILSTM_ATTENTION -> new ModelSpec(kind, List.of(64, 64), 0.3, 0, 0,
          List.of(0.1, 0.5, 0.9), new TrainingConfig(1e-3, Schedule.WARMUP_COSINE, 5, 256, 100,
              10, StopMetric.VALIDATION_MAE, 1.0, TrainingConfig.DEFAULT_SEED));
      case CNN_LSTM -> new ModelSpec(kind, List.of(50), 0, 32, 3, List.of(), adam);
      case GRU -> new ModelSpec(kind, List.of(50), 0, 0, 0, List.of(), adam);
      case CNN -> new ModelSpec(kind, List.of(50), 0, 32, 3, List.of(), adam);
      case MLP -> new ModelSpec(kind, List.of(64, 32), 0, 0, 0, List.of(), adam);
      // batch 32: a panel is a whole graph, so a batch of 32 holds 32 x nodes windows
      case GRAPH_GRU -> new ModelSpec(kind, List.of(32), 0, 0, 0, List.of(),
          TrainingConfig.adam(1e-3, 32, 100, 10), false, 0, GraphConfig.DEFAULTS);
    };
  }

  public ModelSpec withTraining(TrainingConfig newTraining) {
    return new ModelSpec(kind, units, dropout, convFilters, convKernel, quantiles, newTraining,
        residual, lookbackUsed, graph);
  }

  public ModelSpec withUnits(List<Integer> newUnits) {
    return new ModelSpec(kind, newUnits, dropout, convFilters, convKernel, quantiles, training,
        residual, lookbackUsed, graph);
  }

  public ModelSpec withQuantiles(List<Double> levels) {
    return new ModelSpec(kind, units, dropout, convFilters, convKernel, levels, training,
        residual, lookbackUsed, graph);
  }

  public ModelSpec withResidual(boolean on) {
    return new ModelSpec(kind, units, dropout, convFilters, convKernel, quantiles, training, on,
        lookbackUsed, graph);
  }

  /** This spec looking at the last {@code steps} of the window (0: all of it). */
  public ModelSpec withLookbackUsed(int steps) {
    return new ModelSpec(kind, units, dropout, convFilters, convKernel, quantiles, training,
        residual, steps, graph);
  }

  /** This spec with dropout {@code fraction}. */
  public ModelSpec withDropout(double fraction) {
    return new ModelSpec(kind, units, fraction, convFilters, convKernel, quantiles, training,
        residual, lookbackUsed, graph);
  }

  /** This {@code graph_gru} spec with heads, GCN layers and top-k replaced. */
  public ModelSpec withGraph(GraphConfig newGraph) {
    return new ModelSpec(kind, units, dropout, convFilters, convKernel, quantiles, training,
        residual, lookbackUsed, newGraph);
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
