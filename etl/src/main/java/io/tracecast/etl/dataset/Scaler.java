package io.tracecast.etl.dataset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.Serializable;

/**
 * A per-job, per-feature scaler fitted on the train split only: {@code scaled = (x - offset) / scale}.
 * For min-max, offset = min and scale = max - min; for z-score, offset = mean and scale = the
 * population standard deviation; a constant feature gets scale 1. Calendar features are already
 * in [-1, 1] and use {@link Kind#NONE}.
 */
public record Scaler(Kind kind, double offset, double scale, long fittedOn, double min,
    double max, double mean, double std) implements Serializable {

  public enum Kind { MINMAX, ZSCORE, NONE }

  public Scaler {
    if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(offset)) {
      throw new IllegalArgumentException("scaler needs finite offset and scale > 0, got offset "
          + offset + ", scale " + scale);
    }
  }

  public static Scaler identity() {
    return new Scaler(Kind.NONE, 0, 1, 0, -1, 1, 0, 1);
  }

  /** Fits from train statistics; std is the population standard deviation. */
  public static Scaler fit(Kind kind, long count, double min, double max, double mean, double std) {
    return switch (kind) {
      case MINMAX -> new Scaler(kind, min, max > min ? max - min : 1, count, min, max, mean, std);
      case ZSCORE -> new Scaler(kind, mean, std > 0 ? std : 1, count, min, max, mean, std);
      case NONE -> identity();
    };
  }

  public double transform(double x) {
    return (x - offset) / scale;
  }

  /** Back to original units, e.g. for a model's prediction. */
  public double inverse(double scaled) {
    return scaled * scale + offset;
  }

  @JsonIgnore
  public boolean isIdentity() {
    return kind == Kind.NONE;
  }
}
