package io.tracecast.evaluation.baseline;

/** Mean of the last {@code windowSteps} values. */
public record MovingAverage(int windowSteps) implements Baseline {
  public MovingAverage {
    if (windowSteps < 1) {
      throw new IllegalArgumentException("windowSteps must be >= 1, got " + windowSteps);
    }
  }

  @Override
  public String name() {
    return "moving_average";
  }

  @Override
  public int minHistory() {
    return windowSteps;
  }

  @Override
  public double forecast(double[] values, int t) {
    double sum = 0;
    for (int i = t - windowSteps; i < t; i++) {
      sum += values[i];
    }
    return sum / windowSteps;
  }
}
