package io.tracecast.training.model;

/**
 * The tensor sizes a network is built for, taken from the dataset manifest: a window has
 * {@code lookback x features} inputs and {@code horizon x targets} outputs. {@code
 * targetFeatures[k]} is the input feature index of target k (-1 when the target is not an
 * input), or the list is empty when unknown.
 */
public record NetworkShape(int lookback, int features, int horizon, int targets,
    java.util.List<Integer> targetFeatures) implements java.io.Serializable {

  /** A shape without target positions in the inputs (no residual connection possible). */
  public NetworkShape(int lookback, int features, int horizon, int targets) {
    this(lookback, features, horizon, targets, java.util.List.of());
  }

  /**
   * From a dataset manifest: targets found among the features get their input position, so a
   * residual network can start from the last observed value.
   */
  public static NetworkShape of(io.tracecast.etl.dataset.Manifest m) {
    return new NetworkShape(m.lookback(), m.features().size(), m.horizon(), m.targets().size(),
        m.targets().stream().map(t -> m.features().indexOf(t)).toList());
  }

  /** Whether every target is also an input feature (what a residual connection needs). */
  public boolean targetsAreInputs() {
    return targetFeatures.size() == targets && targetFeatures.stream().allMatch(i -> i >= 0);
  }

  public NetworkShape {
    targetFeatures = targetFeatures == null ? java.util.List.of()
        : java.util.List.copyOf(targetFeatures);
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
