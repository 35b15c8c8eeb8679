package io.tracecast.training.network;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate per epoch: linear warm-up from {@code peak / warmupEpochs} to {@code peak} over
 * the first {@code warmupEpochs} epochs, then cosine annealing from {@code peak} towards 0 at
 * {@code totalEpochs}. Epoch-based because DL4J counts epochs per {@code fit(iterator)}; warm-up
 * keeps Adam's first, poorly estimated steps small on freshly initialised LSTMs.
 */
public final class WarmupCosineSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  // Annotated: DL4J's configuration mapper only sees annotated fields of custom classes, and the
  // schedule must survive ModelSerializer's JSON round trip.
  @JsonProperty("peak")
  private final double peak;
  @JsonProperty("warmupEpochs")
  private final int warmupEpochs;
  @JsonProperty("totalEpochs")
  private final int totalEpochs;

  @JsonCreator
  public WarmupCosineSchedule(@JsonProperty("peak") double peak,
      @JsonProperty("warmupEpochs") int warmupEpochs,
      @JsonProperty("totalEpochs") int totalEpochs) {
    if (!(peak > 0) || warmupEpochs < 0 || totalEpochs <= warmupEpochs) {
      throw new IllegalArgumentException("need peak > 0 and 0 <= warmupEpochs < totalEpochs, got "
          + peak + ", " + warmupEpochs + ", " + totalEpochs);
    }
    this.peak = peak;
    this.warmupEpochs = warmupEpochs;
    this.totalEpochs = totalEpochs;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    if (epoch < warmupEpochs) {
      return peak * (epoch + 1) / warmupEpochs;
    }
    double progress = Math.min(1.0, (double) (epoch - warmupEpochs) / (totalEpochs - warmupEpochs));
    return 0.5 * peak * (1 + Math.cos(Math.PI * progress));
  }

  @Override
  public ISchedule clone() {
    return new WarmupCosineSchedule(peak, warmupEpochs, totalEpochs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupCosineSchedule s && s.peak == peak
        && s.warmupEpochs == warmupEpochs && s.totalEpochs == totalEpochs;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(peak) * 31 * 31 + warmupEpochs * 31 + totalEpochs;
  }
}
