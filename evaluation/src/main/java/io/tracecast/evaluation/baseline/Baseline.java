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

  /**
   * Forecasts of the {@code steps} values after {@code history}, each from the history and the
   * forecasts before it (the recursive multi-step form from one origin: what is served beyond
   * the data). This default calls {@link #forecast(double[], int)} once per step.
   */
  default double[] forecastAfter(double[] history, int steps) {
    if (history.length < minHistory() || steps < 0) {
      throw new IllegalArgumentException(name() + " needs " + minHistory()
          + " points of history and steps >= 0, got " + history.length + " and " + steps);
    }
    double[] x = java.util.Arrays.copyOf(history, history.length + steps);
    for (int t = history.length; t < x.length; t++) {
      x[t] = forecast(x, t);
    }
    return java.util.Arrays.copyOfRange(x, history.length, x.length);
  }

  /**
   * Forecasts of {@code values[t]} made {@code h} steps earlier, for every t in
   * [from, values.length): from the history {@code values[0..t-h]}, with the h - 1 values in
   * between replaced by the forecaster's own forecasts (the recursive multi-step form); NaN
   * where the origin {@code t - h + 1} holds less than {@link #minHistory()}. This default
   * calls {@link #forecast(double[], int)} h times per point; a forecaster whose one call costs
   * more than its state (ARIMA) overrides it.
   */
  default double[] forecastsAhead(double[] values, int from, int h) {
    if (h < 1 || from < 0 || from > values.length) {
      throw new IllegalArgumentException(name() + ": forecasts " + h + " steps ahead from "
          + "index " + from + " of a " + values.length + "-point series");
    }
    double[] out = new double[values.length - from];
    double[] scratch = values.clone();
    for (int t = from; t < values.length; t++) {
      int origin = t - h + 1;
      if (origin < minHistory()) {
        out[t - from] = Double.NaN;
        continue;
      }
      for (int i = origin; i <= t; i++) {
        scratch[i] = i < t ? forecast(scratch, i) : Double.NaN;
      }
      out[t - from] = forecast(scratch, t);
      System.arraycopy(values, origin, scratch, origin, t - origin + 1);
    }
    return out;
  }
}
