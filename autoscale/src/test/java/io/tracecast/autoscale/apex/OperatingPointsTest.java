package io.tracecast.autoscale.apex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.autoscaling.AutoscalingSettings;
import io.tracecast.evaluation.autoscaling.PolicyOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatingPointsTest {
  /** An outcome of 1000 steps with the given violations and provisioned / used. */
  private static PolicyOutcome outcome(int violations, double provisionedOverUsed) {
    return new PolicyOutcome(1000, violations, violations / 1000.0, violations / (1000 / 12.0),
        provisionedOverUsed, provisionedOverUsed, Double.NaN, Double.NaN);
  }

  // a trade-off as a policy gives it at growing factors: more capacity, fewer violations
  private static final List<OperatingPoints.Point> POINTS = List.of(
      new OperatingPoints.Point(0.25, outcome(80, 1.10)),
      new OperatingPoints.Point(1, outcome(50, 1.30)),
      new OperatingPoints.Point(4, outcome(20, 1.60)),
      new OperatingPoints.Point(16, outcome(5, 2.50)));

  @Test
  void matchesABaselineOnOneAxisAndIsBestOnTheOther() {
    // reactive: 2.0x at 3 %: of the points at <= 2.0x, the fewest violations is price 4
    assertEquals(4, OperatingPoints.choose(POINTS, outcome(30, 2.0),
        OperatingPoints.Match.CAPACITY).factor());
    // upper quantile at 5 % violations: of the points at <= 5 %, the least capacity is price 1
    assertEquals(1, OperatingPoints.choose(POINTS, outcome(50, 1.4),
        OperatingPoints.Match.VIOLATIONS).factor());
    // exactly on the boundary counts as matching
    assertEquals(0.25, OperatingPoints.choose(POINTS, outcome(80, 9),
        OperatingPoints.Match.VIOLATIONS).factor());
  }

  @Test
  void takesTheNearestPointWhenNoneMatches() {
    // no point at <= 1.05x: the least capacity
    assertEquals(0.25, OperatingPoints.choose(POINTS, outcome(0, 1.05),
        OperatingPoints.Match.CAPACITY).factor());
    // no point at <= 0.1 % violations: the fewest
    assertEquals(16, OperatingPoints.choose(POINTS, outcome(1, 3),
        OperatingPoints.Match.VIOLATIONS).factor());
  }

  @Test
  void theGridSpansTheRangeInLogAndHoldsPriceOne() {
    List<Double> g = OperatingPoints.grid(new AutoscalingSettings.OperatingRange(0.25, 16), 9);
    assertEquals(0.25, g.get(0), 1e-12);
    assertEquals(16, g.get(g.size() - 1), 1e-9);
    assertTrue(g.stream().anyMatch(p -> Math.abs(p - 1) < 1e-12), g.toString());
    assertEquals(10, g.size()); // 1 is not among 0.25 x 64^(i/8)
    // even in log: consecutive ratios of the 9 grid points are 64^(1/8) = 2^(3/4)
    List<Double> plain = g.stream().filter(p -> Math.abs(p - 1) > 1e-12).toList();
    for (int i = 1; i < plain.size(); i++) {
      assertEquals(Math.pow(2, 0.75), plain.get(i) / plain.get(i - 1), 1e-9);
    }
    assertEquals(3, OperatingPoints.grid(new AutoscalingSettings.OperatingRange(0.5, 2), 3).size());
  }
}
