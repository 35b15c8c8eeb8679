package io.tracecast.training.tune;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyperparameters searched for one model kind, and how a proposal becomes a {@link ModelSpec}:
 * every dimension replaces one field of the kind's default spec; fields without a dimension keep
 * the default. The layer count is not searched: its kind fixes it (an MLP has
 * two hidden layers, an LSTM one), so {@value #HIDDEN} is one dimension per layer,
 * {@code hidden_1} (outermost) to {@code hidden_<layers>}, each over the configured range.
 *
 * @param dimensions in proposal order; names are unique
 */
public record SearchSpace(NetworkArchitecture kind, List<Dimension> dimensions) implements Serializable {
  /** Hidden sizes; expands to one dimension per layer of the kind. */
  public static final String HIDDEN = "hidden";
  public static final String DROPOUT = "dropout";
  public static final String LEARNING_RATE = "learning-rate";
  public static final String BATCH_SIZE = "batch-size";
  /** Steps of the window the network looks at, the most recent ones. */
  public static final String LOOKBACK = "lookback";
  public static final String RESIDUAL = "residual";
  /** {@value #MSE} (point forecast) or {@value #MEDIAN} (quantile [0.5], the L1 loss). */
  public static final String LOSS = "loss";
  public static final String MSE = "mse";
  public static final String MEDIAN = "median";
  /** The configurable keys, in the order dimensions are listed. */
  public static final List<String> KEYS = List.of(HIDDEN, DROPOUT, LEARNING_RATE, BATCH_SIZE,
      LOOKBACK, RESIDUAL, LOSS);

  public SearchSpace {
    dimensions = List.copyOf(dimensions);
    if (dimensions.stream().map(Dimension::name).distinct().count() != dimensions.size()) {
      throw new IllegalArgumentException(kind.id() + ": duplicate dimension names in "
          + dimensions);
    }
  }

  /** The name of hidden layer {@code layer}'s dimension (1-based, outermost first). */
  public static String hiddenName(int layer) {
    return HIDDEN + "_" + layer;
  }

  /**
   * {@code base} with every searched field replaced by its value in {@code params}; a lookback
   * of the whole window ({@code datasetLookback}) is written as 0, so the default reads as itself.
   *
   * @throws IllegalArgumentException when the result is not a valid spec for the kind (e.g. a
   *     residual network on a dataset whose targets are not inputs is caught later, at build)
   */
  public ModelSpec apply(ModelSpec base, Map<String, Object> params, int datasetLookback) {
    ModelSpec s = base;
    List<Integer> units = new ArrayList<>(base.units());
    for (int i = 0; i < units.size(); i++) {
      Object u = params.get(hiddenName(i + 1));
      if (u != null) {
        units.set(i, ((Number) u).intValue());
      }
    }
    s = s.withUnits(units);
    if (params.get(DROPOUT) instanceof Number d) {
      s = s.withDropout(d.doubleValue());
    }
    if (params.get(LEARNING_RATE) instanceof Number lr) {
      s = s.withTraining(s.training().withLearningRate(lr.doubleValue()));
    }
    if (params.get(BATCH_SIZE) instanceof Number b) {
      s = s.withTraining(s.training().withBatchSize(b.intValue()));
    }
    if (params.get(LOOKBACK) instanceof Number l) {
      s = s.withLookbackUsed(l.intValue() >= datasetLookback ? 0 : l.intValue());
    }
    if (params.containsKey(RESIDUAL)) {
      s = s.withResidual(Boolean.parseBoolean(String.valueOf(params.get(RESIDUAL))));
    }
    if (params.containsKey(LOSS)) {
      String loss = String.valueOf(params.get(LOSS));
      s = s.withQuantiles(switch (loss) {
        case MSE -> List.of();
        case MEDIAN -> List.of(0.5);
        default -> throw new IllegalArgumentException(kind.id() + ": loss must be " + MSE
            + " or " + MEDIAN + ", got " + loss);
      });
    }
    return s;
  }

  /**
   * The values {@code spec} has on this space's dimensions, e.g. to enqueue the default spec as
   * a trial; a loss other than MSE or median reads as its quantile list.
   */
  public Map<String, Object> paramsOf(ModelSpec spec, int datasetLookback) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (Dimension d : dimensions) {
      String n = d.name();
      Object v;
      if (n.startsWith(HIDDEN + "_")) {
        v = spec.units().get(Integer.parseInt(n.substring(HIDDEN.length() + 1)) - 1);
      } else {
        v = switch (n) {
          case DROPOUT -> spec.dropout();
          case LEARNING_RATE -> spec.training().learningRate();
          case BATCH_SIZE -> spec.training().batchSize();
          case LOOKBACK -> spec.stepsSeen(datasetLookback);
          case RESIDUAL -> spec.residual();
          case LOSS -> spec.quantiles().isEmpty() ? MSE
              : spec.quantiles().equals(List.of(0.5)) ? MEDIAN : spec.quantiles().toString();
          default -> throw new IllegalStateException("unknown dimension " + n);
        };
      }
      p.put(n, v);
    }
    return p;
  }

  /** JSON-shaped, for the registry metadata: name -> "type [min, max]" or the choices. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Dimension d : dimensions) {
      out.put(d.name(), d.isCategorical() ? d.choices()
          : Map.of("type", d.type().id(), "min", d.low(), "max", d.high()));
    }
    return out;
  }
}
