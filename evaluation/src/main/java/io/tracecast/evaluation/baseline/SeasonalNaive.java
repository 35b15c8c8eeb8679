package io.tracecast.evaluation.baseline;

/** The value one season earlier, e.g. 288 steps = one day at a 5-minute step. */
public record SeasonalNaive(int seasonSteps) implements Baseline {
  public SeasonalNaive {
    if (seasonSteps < 1) {
      throw new IllegalArgumentException("seasonSteps must be >= 1, got " + seasonSteps);
    }
  }

  @Override
  public String name() {
    return "seasonal_naive";
  }

  @Override
  public int minHistory() {
    return seasonSteps;
  }

  @Override
  public double forecast(double[] values, int t) {
    return values[t - seasonSteps];
  }
}
