package io.tracecast.etl.dataset;

import io.tracecast.common.IdPaths;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Directory layout of a dataset, the contract with training and evaluation:
 *
 * <pre>
 * &lt;dataset&gt;/manifest.json
 * &lt;dataset&gt;/windows/split=&lt;train|validation|test&gt;/job=&lt;job&gt;/part-*.parquet
 *     job_id string, series_id string, segment int, end_time timestamp (µs, UTC; last input step),
 *     inputs binary (float32 little-endian, lookback x features, time-major, job-scaled;
 *       features = the configured ones, then the seasonal lag channels),
 *     targets binary (float32 little-endian, horizon x targets, step-major, job-scaled)
 *     (the reader derives model space, anchor and scale from these: {@link WindowScaling})
 * &lt;dataset&gt;/series/job=&lt;job&gt;/part-*.parquet
 *     job_id, series_id, ts timestamp, segment int, split string, interpolated boolean,
 *     one double column per metric of the source (original units; null where absent)
 * &lt;dataset&gt;/quarantine/part-*.parquet
 *     file string, line long, raw string, reason string, detail string
 * </pre>
 *
 * <p>Job panels, the input of graph models, are not stored: {@link DatasetReader#encodedPanels}
 * derives them from the windows at read time ({@link PanelAssembly}), one row per graph of the
 * manifest's {@code graphs} and window end time: job_id string, graph_id string, end_time
 * timestamp, inputs binary (float32 LE, nodes x lookback x features), targets binary (nodes x
 * horizon x targets), anchor and scale binary (nodes x targets), mask binary (one byte per node,
 * 1 = the node has a window at this end time); node i is the graph's i-th node, and its slice of
 * each tensor is its window's ({@link Panel#from} decodes a row).
 *
 * The partition column {@code job} repeats the data column {@code job_id}, so a file read
 * outside Spark still says whose windows it holds; its split is the {@code split=} directory.
 * A job id too long for a directory name ({@code job=<id>} escaped over 255 bytes: Azure VM ids
 * of hundreds of characters) is shortened there by {@link IdPaths} ({@link #jobPartition});
 * {@code job_id} keeps the whole id.
 */
public final class DatasetLayout {
  public static final String MANIFEST = "manifest.json";
  public static final String WINDOWS = "windows";
  public static final String SERIES = "series";
  public static final String QUARANTINE = "quarantine";

  /** The partition column of windows and series: {@link #jobPartition} of job_id. */
  public static final String JOB_PARTITION = "job";
  private static final String JOB_PARTITION_PREFIX = JOB_PARTITION + "=";
  /**
   * Spark escapes a partition value by turning some ASCII characters into {@code %XX} and
   * keeping the others, so each UTF-16 char of the value takes at most 3 bytes in the name (a
   * character outside the BMP is 2 chars, 4 bytes), and each code point at most 4.
   */
  private static final int ALWAYS_FITS_CHARS =
      (IdPaths.MAX_NAME_BYTES - JOB_PARTITION_PREFIX.length()) / 3;
  private static final int ALWAYS_FITS_CODE_POINTS =
      (IdPaths.MAX_NAME_BYTES - JOB_PARTITION_PREFIX.length()) / 4;
  private static final UserDefinedFunction JOB_PARTITION_UDF = functions.udf(
      (UDF1<String, String>) DatasetLayout::jobPartition, DataTypes.StringType)
      .asNonNullable();

  private DatasetLayout() {}

  /**
   * The value of the {@code job=} partition directory of a job: the id itself unless Spark's
   * escaped {@code job=<id>} would exceed a file name's 255 bytes, then {@link IdPaths#fit}.
   */
  public static String jobPartition(String jobId) {
    if (jobId.length() <= ALWAYS_FITS_CHARS) {
      return jobId;
    }
    return IdPaths.fit(jobId, ExternalCatalogUtils::escapePathName,
        IdPaths.MAX_NAME_BYTES - JOB_PARTITION_PREFIX.length());
  }

  /**
   * {@link #jobPartition} of a job id column, for the writers' {@code partitionBy}; the common
   * short id stays in generated code, only a long one calls the function.
   */
  public static Column jobPartition(Column jobId) {
    // Spark's length() counts code points
    return functions.when(functions.length(jobId).leq(ALWAYS_FITS_CODE_POINTS), jobId)
        .otherwise(JOB_PARTITION_UDF.apply(jobId)).as(JOB_PARTITION);
  }

  public static String windowsDir(String dataset, Split split) {
    return dataset + "/" + WINDOWS + "/split=" + split.label();
  }
}
