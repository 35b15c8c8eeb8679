package io.tracecast.evaluation.baseline;

/** The last value: the forecast to beat at a 5-minute step. */
public record Persistence() implements Baseline {
  @Override
  public String name() {
    return "persistence";
  }

  @Override
  public int minHistory() {
    return 1;
  }

  @Override
  public double forecast(double[] values, int t) {
    return values[t - 1];
  }
}
