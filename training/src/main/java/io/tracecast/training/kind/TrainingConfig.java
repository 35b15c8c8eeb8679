package io.tracecast.training.kind;

/**
 * How a network is optimised: Adam with an optional warm-up + cosine schedule, mini-batches,
 * early stopping, element-wise gradient clipping and the seed that fixes initialisation and
 * dropout masks.
 *
 * @param learningRate Adam's peak learning rate
 * @param warmupEpochs epochs of linear warm-up before the cosine decay; only for
 *     {@link Schedule#WARMUP_COSINE}
 * @param patience epochs without validation improvement before training stops
 * @param gradientClip gradients are clipped element-wise to [-clip, clip] (recurrent nets on
 *     spiky usage series otherwise blow up on the first spike)
 */
public record TrainingConfig(double learningRate, Schedule schedule, int warmupEpochs,
    int batchSize, int maxEpochs, int patience, StopMetric stopMetric, double gradientClip,
    long seed) implements java.io.Serializable {

  /** Learning rate over epochs. */
  public enum Schedule { CONSTANT, WARMUP_COSINE }

  /** What early stopping watches on the validation split. */
  public enum StopMetric { VALIDATION_LOSS, VALIDATION_MAE }

  public static final long DEFAULT_SEED = 42L;

  /**
   * Adam at 1e-3, batches of 64, at most 100 epochs, patience 10, seed 42: most kinds' defaults
   * (the issue's).
   */
  public static final TrainingConfig DEFAULT = adam(1e-3, 64, 100, 10);

  public TrainingConfig {
    requirePositive(learningRate, "learningRate");
    requirePositive(gradientClip, "gradientClip");
    if (schedule == null || stopMetric == null) {
      throw new IllegalArgumentException("schedule and stopMetric are required");
    }
    if (batchSize < 1 || maxEpochs < 1 || patience < 1) {
      throw new IllegalArgumentException("batchSize, maxEpochs and patience must be >= 1, got "
          + batchSize + ", " + maxEpochs + ", " + patience);
    }
    if (warmupEpochs < 0 || (schedule == Schedule.WARMUP_COSINE && warmupEpochs >= maxEpochs)) {
      throw new IllegalArgumentException("warmupEpochs must be in [0, maxEpochs), got "
          + warmupEpochs + " for maxEpochs " + maxEpochs);
    }
  }

  /** Adam at a constant rate, watching the validation loss. */
  public static TrainingConfig adam(double learningRate, int batchSize, int maxEpochs,
      int patience) {
    return new TrainingConfig(learningRate, Schedule.CONSTANT, 0, batchSize, maxEpochs, patience,
        StopMetric.VALIDATION_LOSS, 1.0, DEFAULT_SEED);
  }

  public TrainingConfig withLearningRate(double lr) {
    return new TrainingConfig(lr, schedule, warmupEpochs, batchSize, maxEpochs, patience,
        stopMetric, gradientClip, seed);
  }

  public TrainingConfig withEpochs(int epochs, int warmup) {
    return new TrainingConfig(learningRate, schedule, warmup, batchSize, epochs, patience,
        stopMetric, gradientClip, seed);
  }

  public TrainingConfig withBatchSize(int batch) {
    return new TrainingConfig(learningRate, schedule, warmupEpochs, batch, maxEpochs, patience,
        stopMetric, gradientClip, seed);
  }

  public TrainingConfig withSeed(long newSeed) {
    return new TrainingConfig(learningRate, schedule, warmupEpochs, batchSize, maxEpochs,
        patience, stopMetric, gradientClip, newSeed);
  }

  private static void requirePositive(double v, String name) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
  }
}
