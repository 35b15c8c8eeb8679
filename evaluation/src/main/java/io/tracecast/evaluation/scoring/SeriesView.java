package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One target column of one series from the series table, in time order, cut into its segments
 * (the ETL's segment ids: a new segment starts after a gap too long to interpolate). A missing
 * value (the source lacked the metric at that step) is NaN.
 */
record SeriesView(List<Segment> segments, double[] trainValues) {

  /** A contiguous stretch of the regular grid. */
  record Segment(double[] values, long[] timesMillis, Split[] splits) {
    double value(int t) {
      return values[t];
    }

    long timeMillis(int t) {
      return timesMillis[t];
    }

    Split split(int t) {
      return splits[t];
    }

    /** Index of the first validation or test point, or -1 when the segment is all train. */
    int firstScored() {
      for (int t = 0; t < splits.length; t++) {
        if (splits[t] != Split.TRAIN) {
          return t;
        }
      }
      return -1;
    }
  }

  /** @param points one series' rows, sorted by time */
  static SeriesView of(List<Row> points, String target) {
    List<Segment> segments = new ArrayList<>();
    List<Double> train = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= points.size(); i++) {
      if (i == points.size() || segment(points.get(i)) != segment(points.get(start))) {
        segments.add(segment(points.subList(start, i), target, train));
        start = i;
      }
    }
    return new SeriesView(segments, train.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static Segment segment(List<Row> rows, String target, List<Double> train) {
    int n = rows.size();
    double[] values = new double[n];
    long[] times = new long[n];
    Split[] splits = new Split[n];
    for (int t = 0; t < n; t++) {
      Row r = rows.get(t);
      Object v = r.get(r.fieldIndex(target));
      values[t] = v == null ? Double.NaN : ((Number) v).doubleValue();
      times[t] = r.getTimestamp(r.fieldIndex(WindowSchema.TS)).getTime();
      splits[t] = Split.fromLabel(r.getString(r.fieldIndex(WindowSchema.SPLIT)));
      if (splits[t] == Split.TRAIN && !Double.isNaN(values[t])) {
        train.add(values[t]);
      }
    }
    return new Segment(values, times, splits);
  }

  private static int segment(Row r) {
    return WindowSchema.segment(r);
  }
}
