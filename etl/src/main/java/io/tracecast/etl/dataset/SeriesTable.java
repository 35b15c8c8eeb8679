package io.tracecast.etl.dataset;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.source.Metric;
import io.tracecast.etl.window.SlidingWindows;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Rows and schema of {@code <dataset>/series}: the cleaned, resampled series in original units. */
public final class SeriesTable {
  private SeriesTable() {}

  public static StructType schema(List<Metric> metrics) {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("job_id", DataTypes.StringType, false),
        DataTypes.createStructField("series_id", DataTypes.StringType, false),
        DataTypes.createStructField("ts", DataTypes.TimestampType, false),
        DataTypes.createStructField("segment", DataTypes.IntegerType, false),
        DataTypes.createStructField("split", DataTypes.StringType, false),
        DataTypes.createStructField("interpolated", DataTypes.BooleanType, false)));
    for (Metric m : metrics) {
      fields.add(DataTypes.createStructField(m.column(), DataTypes.DoubleType, true));
    }
    fields.add(DataTypes.createStructField("job", DataTypes.StringType, false));
    return DataTypes.createStructType(fields);
  }

  /** One row per point; NaN (a metric the segment never had) becomes null. */
  public static Iterator<Row> rows(CleanedSeries s, SlidingWindows.SeriesPlan plan) {
    int metrics = s.values().length;
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < s.size();
      }

      @Override
      public Row next() {
        Object[] row = new Object[7 + metrics];
        row[0] = s.jobId();
        row[1] = s.seriesId();
        row[2] = new Timestamp(Math.floorDiv(s.timestampsMicros()[i], 1000));
        row[3] = s.segment()[i];
        row[4] = SlidingWindows.splitOf(i, plan.trainEnd(), plan.validationEnd()).label();
        row[5] = s.interpolated()[i];
        for (int m = 0; m < metrics; m++) {
          double v = s.values()[m][i];
          row[6 + m] = Double.isNaN(v) ? null : v;
        }
        row[6 + metrics] = s.jobId();
        i++;
        return RowFactory.create(row);
      }
    };
  }
}
