package io.tracecast.training.model;

/**
 * The tensor sizes a network is built for, taken from the dataset manifest: a window has
 * {@code lookback x features} inputs and {@code horizon x targets} outputs.
 */
public record NetworkShape(int lookback, int features, int horizon, int targets)
    implements java.io.Serializable {

  public NetworkShape {
    if (lookback < 1 || features < 1 || horizon < 1 || targets < 1) {
      throw new IllegalArgumentException("lookback, features, horizon and targets must be >= 1, "
          + "got " + lookback + ", " + features + ", " + horizon + ", " + targets);
    }
  }

  /** Length of the flat, time-major {@code inputs} array of a window. */
  public int inputLength() {
    return lookback * features;
  }

  /** Length of the flat {@code targets} array of a window. */
  public int targetLength() {
    return horizon * targets;
  }

  /** Width of the network's output: one column per (step, target, quantile). */
  public int outputLength(int quantiles) {
    return targetLength() * Math.max(1, quantiles);
  }
}
