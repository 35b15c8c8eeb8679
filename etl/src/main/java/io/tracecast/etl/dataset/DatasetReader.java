package io.tracecast.etl.dataset;

import static io.tracecast.etl.dataset.WindowSchema.ANCHOR;
import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.INPUTS;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SCALE;
import static io.tracecast.etl.dataset.WindowSchema.SEGMENT;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.SPLIT;
import static io.tracecast.etl.dataset.WindowSchema.TARGETS;
import static org.apache.spark.sql.functions.col;

import io.tracecast.common.StagedCommit;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How training and evaluation read a dataset: the manifest, and the windows of a split as a
 * Spark {@code Dataset<Row>} with the columns of {@link DatasetLayout}. Nothing downstream
 * parses the files by hand.
 */
public final class DatasetReader {
  private final String root;
  private final Manifest manifest;
  private final WindowScaling scaling;

  private DatasetReader(String root, Manifest manifest) {
    this.root = root;
    this.manifest = manifest;
    this.scaling = WindowScaling.of(manifest);
  }

  /**
   * The dataset at {@code datasetDir}; after a crash in the middle of an {@code --overwrite}
   * (no dataset at the path) the previous one, which {@link StagedCommit#readable} finds.
   */
  public static DatasetReader open(String datasetDir, Configuration conf) {
    String root = StagedCommit.readable(datasetDir, conf);
    return new DatasetReader(root, ManifestIo.read(root, conf));
  }

  public static DatasetReader open(SparkSession spark, String datasetDir) {
    return open(datasetDir, spark.sparkContext().hadoopConfiguration());
  }

  public Manifest manifest() {
    return manifest;
  }

  public String root() {
    return root;
  }

  /** How model space relates to original units in this dataset ({@link WindowScaling}). */
  public WindowScaling scaling() {
    return scaling;
  }

  /**
   * Windows of one split, all jobs: job_id, series_id, segment, end_time, and inputs, targets,
   * anchor and scale as in {@link #encodedWindows(SparkSession, Split)}, decoded to
   * {@code array<float>} for SQL and inspection.
   */
  public Dataset<Row> windows(SparkSession spark, Split split) {
    return decoded(encodedWindows(spark, split));
  }

  /** Windows of one split restricted to some jobs (partition pruning keeps this cheap). */
  public Dataset<Row> windows(SparkSession spark, Split split, List<String> jobs) {
    return decoded(encodedWindows(spark, split, jobs));
  }

  /**
   * The fast path for training, evaluation and prediction: job_id, series_id, segment,
   * end_time, then {@link Float32Codec} binary columns (decode with {@link Float32Codec#decode})
   * inputs and targets in model space of the manifest's {@link Normalisation}, and anchor and
   * scale (one value per target) with which {@link WindowScaling#toOriginal} takes a model output
   * back to original units whatever the mode.
   */
  public Dataset<Row> encodedWindows(SparkSession spark, Split split) {
    return scaling.transform(spark, windowColumns(splitWindows(spark, split)));
  }

  public Dataset<Row> encodedWindows(SparkSession spark, Split split, List<String> jobs) {
    return scaling.transform(spark,
        windowColumns(splitWindows(spark, split)
            .where(col(DatasetLayout.JOB_PARTITION).isin(
                jobs.stream().map(DatasetLayout::jobPartition).toArray()))
            .where(col("job_id").isin(jobs.toArray()))));
  }

  /**
   * Job panels of one split ({@link Panel}, decode a row with {@link Panel#from}): job_id,
   * graph_id, end_time, then float32 binary inputs, targets, anchor and scale holding, node after
   * node in the order of the graph's {@link Manifest.Graph#nodes}, each node's window of
   * {@link #encodedWindows} at that end time (zeros, anchor 0 and scale 1 where it has none), and
   * mask (one byte per node, 1 where the node has a window). One row per graph and end time at
   * which some node has a window of this split; unordered. Derived from the windows at read
   * time ({@link PanelAssembly}); fails for a dataset written before panels.
   */
  public Dataset<Row> encodedPanels(SparkSession spark, Split split, List<String> jobs) {
    return PanelAssembly.of(manifest).assemble(encodedWindows(spark, split, jobs));
  }

  /** Job panels of one split, all jobs. */
  public Dataset<Row> encodedPanels(SparkSession spark, Split split) {
    return PanelAssembly.of(manifest).assemble(encodedWindows(spark, split));
  }

  private static Dataset<Row> decoded(Dataset<Row> encoded) {
    org.apache.spark.sql.expressions.UserDefinedFunction decode = org.apache.spark.sql.functions
        .udf((org.apache.spark.sql.api.java.UDF1<byte[], float[]>) Float32Codec::decode,
            org.apache.spark.sql.types.DataTypes.createArrayType(
                org.apache.spark.sql.types.DataTypes.FloatType, false));
    return encoded.withColumn(INPUTS, decode.apply(col(INPUTS)))
        .withColumn(TARGETS, decode.apply(col(TARGETS)))
        .withColumn(ANCHOR, decode.apply(col(ANCHOR)))
        .withColumn(SCALE, decode.apply(col(SCALE)));
  }

  private Dataset<Row> splitWindows(SparkSession spark, Split split) {
    return spark.read().parquet(root + "/" + DatasetLayout.WINDOWS)
        .where(col(SPLIT).equalTo(split.label()));
  }

  private static Dataset<Row> windowColumns(Dataset<Row> windows) {
    return windows.select(JOB_ID, SERIES_ID, SEGMENT, END_TIME, INPUTS, TARGETS);
  }

  /**
   * The input window ending at the last observed point of each series of {@code jobs}, for a
   * forecast of the steps after the data: job_id, series_id, segment, end_time (the last
   * observed time, the forecast origin), inputs in model space and anchor and scale as in
   * {@link #encodedWindows}, targets NaN (they lie beyond the data), and split ({@code test}:
   * targets after the data continue the last split). Cut from the series table by the ETL's
   * own window rule, so it equals the window the ETL writes at that end when the data
   * continues ({@link LatestWindows}). A series whose last segment is shorter than the lookback
   * has none.
   */
  public Dataset<Row> latestWindows(SparkSession spark, List<String> jobs) {
    return latestWindows(spark, series(spark).where(col(JOB_ID).isin(jobs.toArray())));
  }

  /**
   * The same for rows with the series table's columns (e.g. a cut of it, or fresh data cleaned
   * by the ETL), scaled with this dataset's scalers, never refitted.
   */
  public Dataset<Row> latestWindows(SparkSession spark, Dataset<Row> seriesRows) {
    return scaling.transform(spark, LatestWindows.of(manifest, seriesRows));
  }

  /**
   * Fresh raw trace files of this dataset's source (e.g. the latest hours), read and cleaned as
   * its inputs were ({@link FreshSeries}): rows with the series table's columns, for {@link
   * #latestWindows(SparkSession, Dataset)}. Fails naming any series the dataset does not know.
   */
  public Dataset<Row> freshSeries(SparkSession spark, List<String> inputs) {
    return FreshSeries.read(spark, manifest, root, inputs);
  }

  /** The cleaned series in original units. */
  public Dataset<Row> series(SparkSession spark) {
    return spark.read().parquet(root + "/" + DatasetLayout.SERIES)
        .drop(DatasetLayout.JOB_PARTITION);
  }

  /** Quarantined rows with file, line, raw text and reason. */
  public Dataset<Row> quarantine(SparkSession spark) {
    return spark.read().parquet(root + "/" + DatasetLayout.QUARANTINE);
  }
}
