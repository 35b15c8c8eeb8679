package io.tracecast.etl.feature;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.source.Metric;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-series unit of the {@code window} normalisation: for each metric column, the series'
 * typical absolute step on its train split, the mean of |x[i] - x[i-1]| over consecutive points
 * of one segment. A step-sized unit makes a window's deltas from its last value comparable
 * across series of very different levels and volatilities (the scale MASE divides by). A series
 * that never moves on train falls back to its train population standard deviation, and a
 * constant one to {@link #FLOOR}, so dividing by a scale is always defined.
 */
public final class SeriesScales implements Serializable {
  /** The last resort for a constant series, in the metric's units. */
  public static final double FLOOR = 1e-6;

  private final List<String> columns;
  private final int[] metricIndexes;

  /**
   * @param columns the metric columns to scale (features and targets, not calendar features)
   * @param metrics the source format's metric order, as in {@link CleanedSeries#values()}
   */
  public SeriesScales(List<String> columns, List<Metric> metrics) {
    this.columns = List.copyOf(columns);
    this.metricIndexes = columns.stream().mapToInt(c -> metrics.indexOf(Metric.fromColumn(c)))
        .toArray();
  }

  /** Column -> scale of one series whose train split is its first {@code trainEnd} points. */
  public Map<String, Double> of(CleanedSeries s, int trainEnd) {
    Map<String, Double> out = new LinkedHashMap<>();
    int[] segment = s.segment();
    for (int c = 0; c < columns.size(); c++) {
      double[] x = s.values()[metricIndexes[c]];
      double steps = 0;
      long pairs = 0;
      // Welford: a constant series must give a standard deviation of exactly 0, not rounding noise
      double mean = 0;
      double m2 = 0;
      long count = 0;
      for (int i = 0; i < trainEnd; i++) {
        if (Double.isNaN(x[i])) {
          continue;
        }
        count++;
        double delta = x[i] - mean;
        mean += delta / count;
        m2 += delta * (x[i] - mean);
        if (i > 0 && segment[i] == segment[i - 1] && !Double.isNaN(x[i - 1])) {
          steps += Math.abs(x[i] - x[i - 1]);
          pairs++;
        }
      }
      double scale = steps / pairs;
      if (!(scale > 0) || !Double.isFinite(scale)) {
        scale = Math.sqrt(m2 / count);
      }
      out.put(columns.get(c), scale > 0 && Double.isFinite(scale) ? scale : FLOOR);
    }
    return out;
  }
}
