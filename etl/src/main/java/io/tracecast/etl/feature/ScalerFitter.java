package io.tracecast.etl.feature;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.source.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.util.StatCounter;
import scala.Tuple2;

/**
 * Fits one scaler per job and column on the train points only, so that scaled windows leak
 * nothing about validation or test. Statistics are Spark's {@link StatCounter}s (count, mean,
 * population standard deviation, min, max) merged across series of a job. Calendar features
 * get the identity scaler; a seasonal lag channel shares its target's scaler, so the channel and
 * the target it anticipates are on one scale.
 */
public final class ScalerFitter implements Serializable {
  private final List<String> features;
  private final List<String> scaledColumns;
  private final int[] metricIndexes;
  private final Scaler.Kind kind;
  private final Map<String, String> sharedScalers;

  public ScalerFitter(List<String> features, List<String> scaledColumns, List<Metric> metrics,
      Scaler.Kind kind) {
    this(features, scaledColumns, metrics, kind, Map.of());
  }

  /**
   * @param sharedScalers channel -> column whose scaler it uses (seasonal lag channel -> target)
   */
  public ScalerFitter(List<String> features, List<String> scaledColumns, List<Metric> metrics,
      Scaler.Kind kind, Map<String, String> sharedScalers) {
    this.sharedScalers = new TreeMap<>(sharedScalers);
    this.features = List.copyOf(features);
    this.scaledColumns = List.copyOf(scaledColumns);
    this.metricIndexes = scaledColumns.stream()
        .mapToInt(c -> metrics.indexOf(Metric.fromColumn(c))).toArray();
    this.kind = kind;
  }

  /**
   * @param series cleaned series with the index of their first non-train point
   * @return job -> column -> scaler, for jobs whose train points cover every scaled column
   */
  public Map<String, Map<String, Scaler>> fit(JavaPairRDD<CleanedSeries, Integer> series) {
    Map<Tuple2<String, String>, StatCounter> stats = series
        .flatMapToPair(p -> trainStats(p._1(), p._2()).iterator())
        .reduceByKey(StatCounter::merge)
        .collectAsMap();
    Map<String, Map<String, Scaler>> byJob = new TreeMap<>();
    stats.keySet().stream().map(Tuple2::_1).distinct().forEach(job -> {
      Map<String, Scaler> scalers = new HashMap<>();
      for (String f : features) {
        if (CalendarFeature.isCalendar(f)) {
          scalers.put(f, Scaler.identity());
        }
      }
      for (String c : scaledColumns) {
        StatCounter s = stats.get(new Tuple2<>(job, c));
        if (s == null || s.count() == 0) {
          return;
        }
        scalers.put(c, Scaler.fit(kind, s.count(), s.min(), s.max(), s.mean(), s.stdev()));
      }
      sharedScalers.forEach((channel, column) -> scalers.put(channel, scalers.get(column)));
      byJob.put(job, java.util.Collections.unmodifiableMap(new TreeMap<>(scalers)));
    });
    return byJob;
  }

  private List<Tuple2<Tuple2<String, String>, StatCounter>> trainStats(CleanedSeries s,
      int trainEnd) {
    List<Tuple2<Tuple2<String, String>, StatCounter>> out = new ArrayList<>();
    for (int c = 0; c < scaledColumns.size(); c++) {
      StatCounter counter = new StatCounter();
      double[] values = s.values()[metricIndexes[c]];
      for (int i = 0; i < trainEnd; i++) {
        if (!Double.isNaN(values[i])) {
          counter.merge(values[i]);
        }
      }
      if (counter.count() > 0) {
        out.add(new Tuple2<>(new Tuple2<>(s.jobId(), scaledColumns.get(c)), counter));
      }
    }
    return out;
  }
}
