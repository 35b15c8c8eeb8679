package io.tracecast.training.config;

/**
 * How the pattern-pooled kinds ({@code <kind>_pattern}, {@code <kind>_tuned},
 * {@code gbt_pattern}) are trained.
 *
 * @param patterns how series are grouped ({@code tracecast.train.patterns})
 * @param fineTuneEpochs at most this many epochs of a tuned model on its job's windows
 * @param fineTuneLrFactor the tuned model's learning rate is the kind's times this, in (0, 1]:
 *     a pattern network already fits; a full step size would forget what the pool taught it
 */
public record PooledSettings(PatternSettings patterns, int fineTuneEpochs,
    double fineTuneLrFactor) {

  public static final int DEFAULT_FINE_TUNE_EPOCHS = 3;
  public static final double DEFAULT_FINE_TUNE_LR_FACTOR = 0.3;

  public PooledSettings {
    if (patterns == null || fineTuneEpochs < 1
        || !(fineTuneLrFactor > 0 && fineTuneLrFactor <= 1)) {
      throw new IllegalArgumentException("pooled settings need patterns, fine-tune-epochs >= 1 "
          + "and fine-tune-lr-factor in (0, 1], got " + fineTuneEpochs + ", "
          + fineTuneLrFactor);
    }
  }

  /** The documented defaults. */
  public static PooledSettings defaults() {
    return new PooledSettings(PatternSettings.defaults(), DEFAULT_FINE_TUNE_EPOCHS,
        DEFAULT_FINE_TUNE_LR_FACTOR);
  }
}
