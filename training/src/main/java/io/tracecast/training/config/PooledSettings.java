package io.tracecast.training.config;

import io.tracecast.training.model.ModelKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The pattern-pooled networks of a run ({@code <kind>_pattern}, {@code <kind>_tuned}) and how
 * they are trained.
 *
 * @param patternNetworks kinds requested as {@code <kind>_pattern}
 * @param tunedNetworks kinds requested as {@code <kind>_tuned}; their pattern networks are
 *     trained too ({@link #pooledNetworks()}) as the starting point
 * @param patterns how series are grouped ({@code tracecast.train.patterns})
 * @param fineTuneEpochs at most this many epochs of a tuned model on its job's windows
 * @param fineTuneLrFactor the tuned model's learning rate is the kind's times this, in (0, 1]:
 *     a pattern network already fits; a full step size would forget what the pool taught it
 */
public record PooledSettings(List<ModelKind> patternNetworks, List<ModelKind> tunedNetworks,
    PatternSettings patterns, int fineTuneEpochs, double fineTuneLrFactor) {

  public static final int DEFAULT_FINE_TUNE_EPOCHS = 3;
  public static final double DEFAULT_FINE_TUNE_LR_FACTOR = 0.3;

  public PooledSettings {
    patternNetworks = List.copyOf(patternNetworks);
    tunedNetworks = List.copyOf(tunedNetworks);
    if (patterns == null || fineTuneEpochs < 1
        || !(fineTuneLrFactor > 0 && fineTuneLrFactor <= 1)) {
      throw new IllegalArgumentException("pooled settings need patterns, fine-tune-epochs >= 1 "
          + "and fine-tune-lr-factor in (0, 1], got " + fineTuneEpochs + ", "
          + fineTuneLrFactor);
    }
  }

  /** No pooled networks; documented defaults otherwise. */
  public static PooledSettings none() {
    return new PooledSettings(List.of(), List.of(), PatternSettings.defaults(),
        DEFAULT_FINE_TUNE_EPOCHS, DEFAULT_FINE_TUNE_LR_FACTOR);
  }

  /** These settings with other requested kinds. */
  public PooledSettings withNetworks(List<ModelKind> pattern, List<ModelKind> tuned) {
    return new PooledSettings(pattern, tuned, patterns, fineTuneEpochs, fineTuneLrFactor);
  }

  /** Every kind whose pattern network this run trains: requested, or the start of a tuned one. */
  public List<ModelKind> pooledNetworks() {
    List<ModelKind> out = new ArrayList<>(patternNetworks);
    tunedNetworks.stream().filter(k -> !out.contains(k)).forEach(out::add);
    return out;
  }

  public boolean isEmpty() {
    return patternNetworks.isEmpty() && tunedNetworks.isEmpty();
  }
}
