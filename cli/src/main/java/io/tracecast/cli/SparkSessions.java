package io.tracecast.cli;

import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the one spark-submit configured, or a local one. */
final class SparkSessions {
  private SparkSessions() {}

  static SparkSession create(String appName, String master) {
    return create(appName, master, java.util.Map.of());
  }

  /** As above, with extra Spark settings for this command (spark-submit's --conf still wins). */
  static SparkSession create(String appName, String master, java.util.Map<String, String> conf) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    conf.forEach((k, v) -> {
      if (System.getProperty(k) == null) {
        b.config(k, v);
      }
    });
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
