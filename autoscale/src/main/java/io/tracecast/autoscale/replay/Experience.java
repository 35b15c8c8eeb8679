package io.tracecast.autoscale.replay;

import java.io.Serializable;

/**
 * Transitions as an actor sends them to the learner, flat (row-major observations): what it
 * saw, did and got, what it saw next, the forecast-spread term of the priority and the initial
 * priority its own copy of the critic gave (|TD error| + epsilon + spread term).
 */
public record Experience(int features, float[] obs, float[] action, float[] reward,
    float[] next, float[] spread, double[] priority) implements Serializable {
  public Experience {
    int n = action.length;
    if (obs.length != n * features || next.length != n * features || reward.length != n
        || spread.length != n || priority.length != n) {
      throw new IllegalArgumentException("experience arrays disagree on " + n + " transitions of "
          + features + " features");
    }
  }

  public int size() {
    return action.length;
  }
}
