package io.tracecast.etl;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/** One local SparkSession per test JVM, shared by every test class. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("tracecast-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
          // as conf/application.conf sets for tracecast's sessions: training's packed and
          // data-parallel pools share the slots (jobs without a pool run FIFO as before)
          .config("spark.scheduler.mode", "FAIR")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }

  /** {@code ../shared/traces} of the checkout (set by surefire as tracecast.traces). */
  public static Path traces() {
    return Paths.get(System.getProperty("tracecast.traces", "../../shared/traces"));
  }

  /** The repository root (set by surefire as tracecast.root). */
  public static Path repoRoot() {
    return Paths.get(System.getProperty("tracecast.root", ".."));
  }
}
