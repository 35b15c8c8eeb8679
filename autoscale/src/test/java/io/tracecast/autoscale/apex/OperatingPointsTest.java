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
  void refinesTheMatchByBisectionBetweenGridFactors() {
    // a steep trade-off: violations 0.05 / k^8, capacity 1.2 k
    java.util.function.DoubleFunction<PolicyOutcome> run = k ->
        outcome((int) Math.round(1000 * 0.05 / Math.pow(k, 8)), 1.2 * k);
    List<OperatingPoints.Point> grid = new java.util.ArrayList<>();
    for (double k : new double[] {0.8, 1, 1.25, 1.5}) {
      grid.add(new OperatingPoints.Point(k, run.apply(k)));
    }
    // matching 3 % violations: the grid's best is 1.25 (0.84 %); the exact match is
    // (0.05 / 0.03)^(1/8) = 1.0659, which bisection in [1, 1.25] approaches
    OperatingPoints.Point v = OperatingPoints.refine(grid, outcome(30, 9),
        OperatingPoints.Match.VIOLATIONS, run, 8);
    // (violations are whole steps: 30 of 1000 from 50 / k^8 < 30.5 on)
    double exact = Math.pow(0.05 / 0.03, 1 / 8.0);
    assertTrue(v.factor() >= Math.pow(50 / 30.5, 1 / 8.0) && v.factor() < exact * 1.002,
        v.toString());
    assertTrue(v.outcome().violationRate() <= 0.03);
    // matching 1.5x capacity: the grid's best is 1.25 (1.5x exactly): nothing to refine
    assertEquals(1.25, OperatingPoints.refine(grid, outcome(0, 1.5),
        OperatingPoints.Match.CAPACITY, run, 8).factor(), 1e-12);
    // matching 1.4x: the grid gives 1 (1.2x); bisection in [1, 1.25] reaches 1.4 / 1.2
    OperatingPoints.Point c = OperatingPoints.refine(grid, outcome(0, 1.4),
        OperatingPoints.Match.CAPACITY, run, 8);
    assertTrue(c.factor() <= 1.4 / 1.2 + 1e-12 && c.factor() > 1.4 / 1.2 * 0.998, c.toString());
    // no factor matches: the nearest, unrefined
    assertEquals(1.5, OperatingPoints.refine(grid, outcome(0, 9),
        OperatingPoints.Match.VIOLATIONS, run, 8).factor(), 1e-12);
  }

  @Test
  void theGridSpansTheRangeInLogAndHoldsFactorOne() {
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
