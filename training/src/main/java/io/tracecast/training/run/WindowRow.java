package io.tracecast.training.run;

import io.tracecast.etl.dataset.WindowSchema;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.sql.Row;

/**
 * A dataset window on its way to a packed training task, with the keys that put a job's windows
 * back in a fixed order after Spark's shuffle (which delivers them in any order).
 *
 * @param validation false: train split, true: validation split
 */
public record WindowRow(boolean validation, String jobId, String seriesId, int segment, long endMillis,
    float[] inputs, float[] targets) implements Serializable {

  /** The boolean column a task's input rows carry besides the dataset's: true = validation. */
  public static final String VALIDATION = "validation";

  // The job first: a pattern's task holds several jobs, whose series ids may repeat.
  public static final Comparator<WindowRow> ORDER = Comparator.comparing(WindowRow::validation)
      .thenComparing(WindowRow::jobId).thenComparing(WindowRow::seriesId).thenComparingInt(WindowRow::segment)
      .thenComparingLong(WindowRow::endMillis);

  /**
   * From {@code DatasetReader.encodedWindows} columns plus the {@value #VALIDATION} column.
   */
  public static WindowRow from(Row r) {
    return new WindowRow(r.getBoolean(r.fieldIndex(VALIDATION)), WindowSchema.jobId(r),
        WindowSchema.seriesId(r), WindowSchema.segment(r), WindowSchema.endMillis(r),
        WindowSchema.inputs(r), WindowSchema.targets(r));
  }
}
