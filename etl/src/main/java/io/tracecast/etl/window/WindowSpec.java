package io.tracecast.etl.window;

import io.tracecast.etl.dataset.SeasonalLag;
import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.source.Metric;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;

/**
 * Shape of the sliding windows: {@code lookback} input steps of {@code features} (time-major:
 * step 0's features, then step 1's, ...) predict {@code horizon} steps of {@code targets}
 * (step-major likewise). Windows start every {@code stride} steps of a segment. Each input step
 * holds the configured {@code features}, then one channel per seasonal lag and target
 * ({@link #inputFeatures()}).
 */
public record WindowSpec(int lookback, int horizon, int stride, List<String> features,
    List<String> targets, List<SeasonalLag> seasonalLags) implements Serializable {

  /** Without seasonal lag channels. */
  public WindowSpec(int lookback, int horizon, int stride, List<String> features,
      List<String> targets) {
    this(lookback, horizon, stride, features, targets, List.of());
  }

  public WindowSpec {
    if (lookback < 1 || horizon < 1 || stride < 1) {
      throw new IllegalArgumentException("lookback, horizon and stride must be >= 1, got "
          + lookback + ", " + horizon + ", " + stride);
    }
    features = List.copyOf(features);
    targets = List.copyOf(targets);
    seasonalLags = List.copyOf(seasonalLags);
    for (SeasonalLag lag : seasonalLags) {
      if (lag.steps() <= horizon + 1) {
        throw new IllegalArgumentException("seasonal lag " + lag.label() + " of " + lag.steps()
            + " steps must be more than horizon + 1 = " + (horizon + 1));
      }
    }
    if (features.isEmpty() || targets.isEmpty()) {
      throw new IllegalArgumentException("features and targets must not be empty");
    }
    if (new HashSet<>(features).size() != features.size()
        || new HashSet<>(targets).size() != targets.size()) {
      throw new IllegalArgumentException("features and targets must not repeat a name");
    }
    for (String f : features) {
      if (!CalendarFeature.isCalendar(f)) {
        Metric.fromColumn(f);
      }
    }
    for (String t : targets) {
      Metric.fromColumn(t);
    }
  }

  /** Metric columns among features and targets, in first-use order: those that need scalers. */
  public List<String> scaledColumns() {
    return java.util.stream.Stream.concat(features.stream(), targets.stream())
        .filter(f -> !CalendarFeature.isCalendar(f)).distinct().toList();
  }

  /** The input channels of one step in tensor order: features, then lag channels. */
  public List<String> inputFeatures() {
    return java.util.stream.Stream.concat(features.stream(), lagChannels().keySet().stream())
        .toList();
  }

  /** Seasonal lag channel -> its target, lag-major, in channel order. */
  public java.util.Map<String, String> lagChannels() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (SeasonalLag lag : seasonalLags) {
      for (String t : targets) {
        m.put(lag.channel(t), t);
      }
    }
    return m;
  }

  public int inputLength() {
    return lookback * (features.size() + seasonalLags.size() * targets.size());
  }

  public int targetLength() {
    return horizon * targets.size();
  }
}
