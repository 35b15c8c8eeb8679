package io.tracecast.evaluation.baseline;

/**
 * A classical one-step-ahead forecaster, scored exactly like the neural models: given the
 * history {@code values[0..t)} of a series segment, it forecasts {@code values[t]}.
 */
public interface Baseline extends java.io.Serializable {

  /** Name used in comparison tables, e.g. {@code persistence}. */
  String name();

  /** Fewest past points the forecaster needs; earlier points get no forecast. */
  int minHistory();

  /** Forecast of {@code values[t]} from {@code values[0..t)}; {@code t >= minHistory()}. */
  double forecast(double[] values, int t);

  /** Forecasts for every t in [from, to), in order. */
  default double[] forecast(double[] values, int from, int to) {
    if (from < minHistory()) {
      throw new IllegalArgumentException(name() + " needs " + minHistory()
          + " points of history, asked to forecast from index " + from);
    }
    double[] out = new double[to - from];
    for (int t = from; t < to; t++) {
      out[t - from] = forecast(values, t);
    }
    return out;
  }
}
