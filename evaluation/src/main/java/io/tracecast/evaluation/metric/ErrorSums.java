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

  /** @param levels the quantile levels of the model, ascending; empty for point forecasts */
  public ErrorSums(double mapeFloor, double[] levels) {
    this.mapeFloor = mapeFloor;
    this.levels = levels.clone();
    this.pinball = new double[levels.length];
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

  /** Adds {@code other}'s sums to these (same model, so the same levels). */
  public ErrorSums merge(ErrorSums other) {
    if (!Arrays.equals(levels, other.levels)) {
      throw new IllegalArgumentException("cannot merge sums over levels "
          + Arrays.toString(levels) + " and " + Arrays.toString(other.levels));
    }
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
}
