package io.tracecast.evaluation.provisioning;

import java.io.Serializable;

/**
 * How much a forecast-driven provisioner buys for a step: the forecast (its 0.9 quantile where
 * the model has one) times {@code 1 + fraction}, never less than {@code floor}.
 */
public record Headroom(double fraction, double floor) implements Serializable {
  public Headroom {
    if (!(fraction >= 0) || !Double.isFinite(fraction) || !Double.isFinite(floor)) {
      throw new IllegalArgumentException("headroom fraction must be finite and >= 0, got "
          + fraction + " (floor " + floor + ")");
    }
  }

  public double provisioned(double forecast) {
    return Math.max(floor, forecast * (1 + fraction));
  }
}
