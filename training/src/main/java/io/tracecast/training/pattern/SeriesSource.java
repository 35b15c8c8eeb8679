package io.tracecast.training.pattern;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A series table to sign: the dataset contract's series columns (job_id, series_id, ts, split,
 * and the target's column in original units).
 *
 * @param dataset the name that keys this table's series ({@link SeriesKey#dataset()})
 * @param target the metric column the patterns describe
 * @param stepSeconds the dataset's step (sets the one-day lag)
 */
public record SeriesSource(String dataset, Dataset<Row> series, String target,
    long stepSeconds) {

  public SeriesSource {
    if (dataset == null || dataset.isBlank() || series == null || target == null
        || stepSeconds < 1) {
      throw new IllegalArgumentException("series source needs a name, a table, a target and a "
          + "step >= 1 s");
    }
    if (!java.util.Arrays.asList(series.columns()).contains(target)) {
      throw new IllegalArgumentException(dataset + ": the series table has no column '" + target
          + "'");
    }
  }

  /** A dataset through its reader: named after its source, patterns of its first target. */
  public static SeriesSource of(SparkSession spark, DatasetReader reader) {
    Manifest m = reader.manifest();
    if (m.targets().isEmpty()) {
      throw new IllegalArgumentException(reader.root() + ": the manifest names no target");
    }
    return new SeriesSource(m.source(), reader.series(spark), m.targets().get(0),
        m.stepSeconds());
  }
}
