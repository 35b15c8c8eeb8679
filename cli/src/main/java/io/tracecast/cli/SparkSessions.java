package io.tracecast.cli;

import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the one spark-submit configured, or a local one. */
final class SparkSessions {
  private SparkSessions() {}

  static SparkSession create(String appName, String master) {
    return create(appName, master, com.typesafe.config.ConfigFactory.empty());
  }

  /**
   * @param config the layered configuration: its {@code tracecast.spark} entries become Spark
   *     properties unless spark-submit already set them
   */
  static SparkSession create(String appName, String master, com.typesafe.config.Config config) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (config.hasPath("tracecast.spark")) {
      config.getConfig("tracecast.spark").root().unwrapped().forEach((key, value) -> {
        if (System.getProperty(key) == null) {
          b.config(key, String.valueOf(value));
        }
      });
    }
    if (master != null) {
      b.master(master);
    } else if (System.getProperty("spark.master") == null) {
      b.master("local[*]");
    }
    return b.config("spark.ui.enabled", "false")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .getOrCreate();
  }
}
