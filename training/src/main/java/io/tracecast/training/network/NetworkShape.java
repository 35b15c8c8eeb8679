package io.tracecast.training.network;

/**
 * The tensor sizes a network is built for, taken from the dataset manifest: a window has
 * {@code lookback x features} inputs and {@code horizon x targets} outputs. {@code
 * targetFeatures[k]} is the input feature index of target k (-1 when the target is not an
 * input), or the list is empty when unknown.
 *
 * <p>{@code squashInputs}: the network sees {@code asinh(x)} of every input. Window-normalised
 * inputs are deltas in units of the series' typical step, heavy-tailed (a burst is tens of
 * typical steps), and such values saturate a network's units and dominate its first layer's
 * gradients; asinh is the identity near 0 and logarithmic in the tails, keeps the sign and
 * calendar channels' [-1, 1] nearly as they are. Trees need no such thing (they are invariant to
 * monotone transforms), so it lives here, in the networks' input contract only.
 */
public record NetworkShape(int lookback, int features, int horizon, int targets,
    java.util.List<Integer> targetFeatures, boolean squashInputs)
    implements java.io.Serializable {

  /** A shape whose inputs go to the network as they are. */
  public NetworkShape(int lookback, int features, int horizon, int targets,
      java.util.List<Integer> targetFeatures) {
    this(lookback, features, horizon, targets, targetFeatures, false);
  }

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
        m.targets().stream().map(t -> m.features().indexOf(t)).toList(),
        m.normalisationMode() == io.tracecast.etl.dataset.Normalisation.WINDOW);
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
