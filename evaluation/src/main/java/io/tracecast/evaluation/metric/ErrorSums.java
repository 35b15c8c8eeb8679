package io.tracecast.evaluation.metric;

import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import io.tracecast.evaluation.provisioning.ProvisioningTally;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Running sums behind {@link PointMetrics}, {@link QuantileMetrics} and a provisioning outcome,
 * so scores computed per series on executors merge exactly into per-job and overall scores
 * (a mean of per-series MAEs would weight a short series like a long one). Mutable: it lives
 * inside one aggregation and is turned into the immutable metric records at the end.
 */
public final class ErrorSums implements Serializable {
  private final double mapeFloor;
  private final double[] levels;
  private long count;
  private double sumAbs;
  private double sumSq;
  private double sumApe;
  private long apeCount;
  private double sumSape;
  private double sumActual;
  private double sumActualSq;
  private final double[] pinball;
  private long covered;
  private double sumWidth;
  private final ProvisioningTally provisioning = new ProvisioningTally();
  /** Interval levels (e.g. 0.8, 0.9) of {@link #addInterval}'s bounds, ascending. */
  private final double[] intervalLevels;
  private long intervalCount;
  private final long[] intervalCovered;
  private final double[] intervalWidth;
  private final double[] intervalScore;
  /** Provisioning the upper bound of the narrowest interval (its p90 for 80 %), no headroom. */
  private final ProvisioningTally upperProvisioning = new ProvisioningTally();

  /** @param levels the quantile levels of the model, ascending; empty for point forecasts */
  public ErrorSums(double mapeFloor, double[] levels) {
    this(mapeFloor, levels, new double[0]);
  }

  /**
   * @param intervalLevels nominal coverages of the intervals {@link #addInterval} is given
   *     (split-conformal bands), ascending; empty when none are scored
   */
  public ErrorSums(double mapeFloor, double[] levels, double[] intervalLevels) {
    this.mapeFloor = mapeFloor;
    this.levels = levels.clone();
    this.pinball = new double[levels.length];
    this.intervalLevels = intervalLevels.clone();
    this.intervalCovered = new long[intervalLevels.length];
    this.intervalWidth = new double[intervalLevels.length];
    this.intervalScore = new double[intervalLevels.length];
  }

  /**
   * Adds one forecast.
   *
   * @param quantiles forecasts of {@code levels}, or null for a point forecaster
   * @param provision the amount provisioned for this step (headroom included)
   */
  public ErrorSums add(double actual, double point, double[] quantiles, double provision) {
    double e = actual - point;
    count++;
    sumAbs += Math.abs(e);
    sumSq += e * e;
    if (Math.abs(actual) >= mapeFloor) {
      sumApe += Math.abs(e / actual);
      apeCount++;
    }
    double denominator = Math.abs(actual) + Math.abs(point);
    sumSape += denominator == 0 ? 0 : 2 * Math.abs(e) / denominator;
    sumActual += actual;
    sumActualSq += actual * actual;
    if (quantiles != null && levels.length > 0) {
      if (quantiles.length != levels.length) {
        throw new IllegalArgumentException(quantiles.length + " quantile forecasts for levels "
            + Arrays.toString(levels));
      }
      for (int q = 0; q < levels.length; q++) {
        pinball[q] += QuantileMetrics.pinball(levels[q], actual, quantiles[q]);
      }
      double lo = quantiles[0];
      double hi = quantiles[levels.length - 1];
      covered += actual >= lo && actual <= hi ? 1 : 0;
      sumWidth += hi - lo;
    }
    provisioning.add(actual, provision);
    return this;
  }

  /**
   * Adds the intervals of one forecast already passed to {@link #add}.
   *
   * @param bounds {@code [lo, hi]} per interval level, in level order ({@code 2 x levels})
   */
  public ErrorSums addInterval(double actual, double[] bounds) {
    if (bounds.length != 2 * intervalLevels.length) {
      throw new IllegalArgumentException(bounds.length + " interval bounds for levels "
          + Arrays.toString(intervalLevels));
    }
    intervalCount++;
    for (int l = 0; l < intervalLevels.length; l++) {
      double lo = bounds[2 * l];
      double hi = bounds[2 * l + 1];
      intervalCovered[l] += actual >= lo && actual <= hi ? 1 : 0;
      intervalWidth[l] += hi - lo;
      intervalScore[l] += IntervalMetrics.intervalScore(intervalLevels[l], actual, lo, hi);
    }
    if (intervalLevels.length > 0) {
      upperProvisioning.add(actual, bounds[1]);
    }
    return this;
  }

  /** Adds {@code other}'s sums to these (same model, so the same levels). */
  public ErrorSums merge(ErrorSums other) {
    if (!Arrays.equals(levels, other.levels)
        || !Arrays.equals(intervalLevels, other.intervalLevels)) {
      throw new IllegalArgumentException("cannot merge sums over levels "
          + Arrays.toString(levels) + " and " + Arrays.toString(other.levels)
          + " (intervals " + Arrays.toString(intervalLevels) + " and "
          + Arrays.toString(other.intervalLevels) + ")");
    }
    intervalCount += other.intervalCount;
    for (int l = 0; l < intervalLevels.length; l++) {
      intervalCovered[l] += other.intervalCovered[l];
      intervalWidth[l] += other.intervalWidth[l];
      intervalScore[l] += other.intervalScore[l];
    }
    upperProvisioning.merge(other.upperProvisioning);
    count += other.count;
    sumAbs += other.sumAbs;
    sumSq += other.sumSq;
    sumApe += other.sumApe;
    apeCount += other.apeCount;
    sumSape += other.sumSape;
    sumActual += other.sumActual;
    sumActualSq += other.sumActualSq;
    for (int q = 0; q < pinball.length; q++) {
      pinball[q] += other.pinball[q];
    }
    covered += other.covered;
    sumWidth += other.sumWidth;
    provisioning.merge(other.provisioning);
    return this;
  }

  public long count() {
    return count;
  }

  public double[] levels() {
    return levels.clone();
  }

  public double[] intervalLevels() {
    return intervalLevels.clone();
  }

  /** One entry per interval level; empty when no forecast had an interval. */
  public java.util.List<IntervalMetrics> intervalMetrics() {
    if (intervalCount == 0) {
      return java.util.List.of();
    }
    java.util.List<IntervalMetrics> out = new java.util.ArrayList<>();
    for (int l = 0; l < intervalLevels.length; l++) {
      out.add(new IntervalMetrics(intervalLevels[l], intervalCount,
          intervalCovered[l] / (double) intervalCount, intervalWidth[l] / intervalCount,
          intervalScore[l] / intervalCount));
    }
    return java.util.List.copyOf(out);
  }

  public PointMetrics pointMetrics() {
    if (count == 0) {
      throw new IllegalStateException("no forecasts to score");
    }
    double mse = sumSq / count;
    // total sum of squares around the mean, from the two running sums
    double total = sumActualSq - sumActual * sumActual / count;
    return new PointMetrics(count, mse, Math.sqrt(mse), sumAbs / count,
        apeCount == 0 ? Double.NaN : 100 * sumApe / apeCount, apeCount, 100 * sumSape / count,
        total <= 0 ? Double.NaN : 1 - sumSq / total);
  }

  /** Null for point forecasters (fewer than two levels make no interval). */
  public QuantileMetrics quantileMetrics() {
    if (levels.length < 2 || count == 0) {
      return null;
    }
    double[] mean = new double[levels.length];
    for (int q = 0; q < levels.length; q++) {
      mean[q] = pinball[q] / count;
    }
    return new QuantileMetrics(levels.clone(), mean, covered / (double) count, sumWidth / count);
  }

  public ProvisioningOutcome provisioning() {
    return provisioning.outcome();
  }

  /**
   * What provisioning each step's upper interval bound (the narrowest level's: p90 for the 80 %
   * band) would have bought, or null without intervals: the headroom is the band's, sized by
   * the model's own validation errors, not a fixed percentage.
   */
  public ProvisioningOutcome upperProvisioning() {
    return intervalCount == 0 ? null : upperProvisioning.outcome();
  }
}
