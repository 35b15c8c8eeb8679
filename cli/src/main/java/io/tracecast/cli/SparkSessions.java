package io.tracecast.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the one spark-submit configured, or a local one. */
final class SparkSessions {
  /** OpenMP threads of ND4J's native code on executors (read when an executor loads ND4J). */
  static final String OMP_NUM_THREADS = "spark.executorEnv.OMP_NUM_THREADS";

  private SparkSessions() {}

  /** The command default of a command whose tasks run ND4J on {@code threadsPerTask} threads. */
  static Map<String, String> threadsPerTask(int threadsPerTask) {
    return Map.of(OMP_NUM_THREADS, Integer.toString(threadsPerTask));
  }

  static SparkSession create(String appName, String master) {
    return create(appName, master, ConfigFactory.empty(), Map.of());
  }

  static SparkSession create(String appName, String master, Config config) {
    return create(appName, master, config, Map.of());
  }

  /** A session with the properties of {@link #conf}. */
  static SparkSession create(String appName, String master, Config config,
      Map<String, String> commandDefaults) {
    return SparkSession.builder().config(conf(appName, master, config, commandDefaults))
        .getOrCreate();
  }

  /**
   * The session's Spark properties, first setting wins: what spark-submit set (its {@code --conf},
   * {@code --executor-memory}, ... arrive as {@code spark.*} system properties), then
   * {@code config}'s {@code tracecast.spark} entries (a profile, {@code --conf FILE},
   * {@code -Dtracecast.spark...}), then {@code commandDefaults}: what this command derives from
   * its own settings, such as {@code spark.executorEnv.OMP_NUM_THREADS} from
   * {@code threads-per-task}, so a profile's value (the gpu profile's 4) survives.
   */
  static SparkConf conf(String appName, String master, Config config,
      Map<String, String> commandDefaults) {
    SparkConf conf = new SparkConf(true).setAppName(appName);
    if (config.hasPath("tracecast.spark")) {
      config.getConfig("tracecast.spark").root().unwrapped()
          .forEach((k, v) -> conf.setIfMissing(k, String.valueOf(v)));
    }
    commandDefaults.forEach(conf::setIfMissing);
    if (master != null) {
      conf.setMaster(master);
    } else {
      conf.setIfMissing("spark.master", "local[*]");
    }
    if (conf.get("spark.master").startsWith("local")) {
      // One host: waiting for a "better" locality only stalls. Over hdfs:// a local session
      // held back tasks waiting for a datanode host it never offers again (HdfsPipelineIT).
      conf.setIfMissing("spark.locality.wait", "0s");
    }
    return conf.set("spark.ui.enabled", "false")
        .set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
  }
}
