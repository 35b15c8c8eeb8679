package io.tracecast.etl.feature;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;

import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.Split;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits one scaler per job and column on the train split of the series table, with Spark SQL
 * aggregates. Validation and test points never reach the fit, so scaled windows leak nothing
 * about the future. Calendar columns get the identity scaler.
 */
public final class ScalerFitter {
  private ScalerFitter() {}

  /** @return job -> column -> scaler, for jobs that have train points */
  public static Map<String, Map<String, Scaler>> fit(Dataset<Row> series, List<String> features,
      List<String> scaledColumns, Scaler.Kind kind) {
    List<Column> aggs = new ArrayList<>();
    for (String c : scaledColumns) {
      aggs.add(count(col(c)).as(c + "#n"));
      aggs.add(min(col(c)).as(c + "#min"));
      aggs.add(max(col(c)).as(c + "#max"));
      aggs.add(mean(col(c)).as(c + "#mean"));
      aggs.add(stddev_pop(col(c)).as(c + "#std"));
    }
    List<Row> rows = series.where(col("split").equalTo(Split.TRAIN.label()))
        .groupBy(col("job_id"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
        .collectAsList();
    Map<String, Map<String, Scaler>> byJob = new TreeMap<>();
    for (Row r : rows) {
      Map<String, Scaler> scalers = new HashMap<>();
      for (String f : features) {
        if (CalendarFeature.isCalendar(f)) {
          scalers.put(f, Scaler.identity());
        }
      }
      boolean complete = true;
      for (String c : scaledColumns) {
        long n = r.getLong(r.fieldIndex(c + "#n"));
        if (n == 0) {
          complete = false;
          continue;
        }
        scalers.put(c, Scaler.fit(kind, n, r.getDouble(r.fieldIndex(c + "#min")),
            r.getDouble(r.fieldIndex(c + "#max")), r.getDouble(r.fieldIndex(c + "#mean")),
            r.getDouble(r.fieldIndex(c + "#std"))));
      }
      if (complete) {
        byJob.put(r.getString(r.fieldIndex("job_id")), Map.copyOf(scalers));
      }
    }
    return byJob;
  }
}
