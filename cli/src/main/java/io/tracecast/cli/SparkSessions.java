package io.tracecast.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the one spark-submit configured, or a local one. */
final class SparkSessions {
  private SparkSessions() {}

  static SparkSession create(String appName, String master) {
    return create(appName, master, com.typesafe.config.ConfigFactory.empty(), Map.of());
  }

  static SparkSession create(String appName, String master, com.typesafe.config.Config config) {
    return create(appName, master, config, Map.of());
  }

  /**
   * @param config the layered configuration: its {@code tracecast.spark} entries become Spark
   *     properties
   * @param extra this command's own Spark settings, applied over {@code config}'s; properties
   *     that spark-submit already set win over both
   */
  static SparkSession create(String appName, String master, com.typesafe.config.Config config,
      Map<String, String> extra) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    Map<String, String> settings = new LinkedHashMap<>();
    if (config.hasPath("tracecast.spark")) {
      config.getConfig("tracecast.spark").root().unwrapped()
          .forEach((k, v) -> settings.put(k, String.valueOf(v)));
    }
    settings.putAll(extra);
    settings.forEach((k, v) -> {
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
