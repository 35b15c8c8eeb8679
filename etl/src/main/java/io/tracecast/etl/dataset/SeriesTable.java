package io.tracecast.etl.dataset;

import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SEGMENT;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.SPLIT;
import static io.tracecast.etl.dataset.WindowSchema.TS;
import static org.apache.spark.sql.functions.col;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.source.Metric;
import io.tracecast.etl.window.SlidingWindows;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code <dataset>/series}: the cleaned, resampled series in original units, one row per point:
 * job_id, series_id, ts, segment, split, interpolated, the source's metric columns, and the
 * partition column job.
 */
public final class SeriesTable {
  private SeriesTable() {}

  /** The table as a DataFrame with the contract's column names. */
  public static Dataset<Row> frame(SparkSession spark, JavaRDD<SeriesPointRecord> points,
      List<Metric> metrics) {
    List<Column> columns = new ArrayList<>(List.of(col("jobId").as(JOB_ID),
        col("seriesId").as(SERIES_ID), col(TS), col(SEGMENT), col(SPLIT),
        col("interpolated")));
    for (Metric m : metrics) {
      columns.add(col(SeriesPointRecord.property(m.column())).as(m.column()));
    }
    columns.add(DatasetLayout.jobPartition(col("jobId")));
    return spark.createDataset(points.rdd(), Encoders.bean(SeriesPointRecord.class)).toDF()
        .select(columns.toArray(new Column[0]));
  }

  /** One record per point of a planned series. */
  public static Iterator<SeriesPointRecord> points(CleanedSeries s, List<Metric> metrics,
      SlidingWindows.SeriesPlan plan) {
    String[] columns = metrics.stream().map(Metric::column).toArray(String[]::new);
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < s.size();
      }

      @Override
      public SeriesPointRecord next() {
        SeriesPointRecord r = new SeriesPointRecord();
        r.setJobId(s.jobId());
        r.setSeriesId(s.seriesId());
        r.setTs(new Timestamp(Math.floorDiv(s.timestampsMicros()[i], 1000)));
        r.setSegment(s.segment()[i]);
        r.setSplit(SlidingWindows.splitOf(i, plan.trainEnd(), plan.validationEnd()).label());
        r.setInterpolated(s.interpolated()[i]);
        for (int m = 0; m < columns.length; m++) {
          r.setMetric(columns[m], s.values()[m][i]);
        }
        i++;
        return r;
      }
    };
  }
}
