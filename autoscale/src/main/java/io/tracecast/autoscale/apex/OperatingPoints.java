package io.tracecast.autoscale.apex;

import io.tracecast.evaluation.autoscaling.AutoscalingSettings;
import io.tracecast.evaluation.autoscaling.PolicyOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where to run a learned policy ({@link AutoscalingSettings.OperatingRange}) to compare it with
 * a policy that does not learn: the policy is run on the validation split at a grid of factors,
 * and for each baseline the factor is picked that matches it on one axis and is best on the
 * other — so that the test split answers "fewer violations at no more capacity" or "less
 * capacity at no more violations", as one compares classifiers at a matched false-positive rate.
 * The choice sees validation only; the test split then says whether it held.
 */
public final class OperatingPoints {
  private OperatingPoints() {}

  /** Which axis a baseline is matched on. */
  public enum Match {
    /** No more capacity (provisioned / used) than the baseline, then the fewest violations. */
    CAPACITY,
    /** No higher violation rate than the baseline, then the least capacity. */
    VIOLATIONS
  }

  /** The policy's outcome on validation at one factor. */
  public record Point(double factor, PolicyOutcome outcome) {}

  /** {@code n} factors evenly spaced in log over the range, both ends included, and 1. */
  public static List<Double> grid(AutoscalingSettings.OperatingRange range, int n) {
    if (n < 2) {
      throw new IllegalArgumentException("a grid of factors needs >= 2 points, got " + n);
    }
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(range.at(i / (double) (n - 1)));
    }
    if (out.stream().noneMatch(p -> Math.abs(Math.log(p)) < 1e-9)) {
      out.add(1.0);
      out.sort(Comparator.naturalOrder());
    }
    return out;
  }

  /**
   * {@link #choose} on the grid, then bisection (in log) between the chosen point and its
   * neighbour on the grid that did not match, {@code steps} times: where the policy's trade-off
   * is steep, one grid step can move its violation rate by half, and the match should be as
   * close as the validation split allows. Assumes capacity grows with the factor (it is the
   * factor capacity is multiplied by).
   *
   * @param run the policy's outcome on validation at a factor
   */
  public static Point refine(List<Point> grid, PolicyOutcome baseline, Match match,
      java.util.function.DoubleFunction<PolicyOutcome> run, int steps) {
    List<Point> sorted = grid.stream().sorted(Comparator.comparingDouble(Point::factor)).toList();
    Point best = choose(sorted, baseline, match);
    if (!matches(best.outcome(), baseline, match)) {
      return best;
    }
    int i = sorted.indexOf(best);
    // the neighbour that did not match: a lower factor (less capacity) when matching
    // violations, a higher one (fewer violations) when matching capacity
    int j = match == Match.VIOLATIONS ? i - 1 : i + 1;
    if (j < 0 || j >= sorted.size() || matches(sorted.get(j).outcome(), baseline, match)) {
      return best;
    }
    double in = Math.log(best.factor());
    double out = Math.log(sorted.get(j).factor());
    for (int k = 0; k < steps; k++) {
      double mid = (in + out) / 2;
      Point p = new Point(Math.exp(mid), run.apply(Math.exp(mid)));
      if (matches(p.outcome(), baseline, match)) {
        in = mid;
        best = choose(List.of(best, p), baseline, match);
      } else {
        out = mid;
      }
    }
    return best;
  }

  private static boolean matches(PolicyOutcome o, PolicyOutcome baseline, Match match) {
    return match == Match.CAPACITY ? o.provisionedOverUsed() <= baseline.provisionedOverUsed()
        : o.violationRate() <= baseline.violationRate();
  }

  /**
   * The point matching {@code baseline} on {@code match}'s axis and best on the other (ties:
   * the better on the matched axis). When no point matches, the one nearest to matching: the
   * least capacity (CAPACITY) or the fewest violations (VIOLATIONS).
   */
  public static Point choose(List<Point> points, PolicyOutcome baseline, Match match) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no factor was tried");
    }
    Comparator<Point> capacity = Comparator.comparingDouble(p ->
        p.outcome().provisionedOverUsed());
    Comparator<Point> violations = Comparator.comparingDouble(p -> p.outcome().violationRate());
    if (match == Match.CAPACITY) {
      return points.stream()
          .filter(p -> matches(p.outcome(), baseline, match))
          .min(violations.thenComparing(capacity))
          .orElseGet(() -> points.stream().min(capacity).orElseThrow());
    }
    return points.stream()
        .filter(p -> matches(p.outcome(), baseline, match))
        .min(capacity.thenComparing(violations))
        .orElseGet(() -> points.stream().min(violations.thenComparing(capacity)).orElseThrow());
  }
}
