package io.tracecast.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the one spark-submit configured, or a local one. */
final class SparkSessions {
  /** OpenMP threads of ND4J's native code on executors (read when an executor loads ND4J). */
  static final String OMP_NUM_THREADS = "spark.executorEnv.OMP_NUM_THREADS";

  /** Shuffle partitions per core of a local session (Spark's tuning guide: 2-4 tasks a core). */
  static final int SHUFFLE_PARTITIONS_PER_LOCAL_CORE = 4;
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");

  private SparkSessions() {}

  /**
   * The task slots of a local master (local, local[N], local[*], local[N,F], local[*,F]), or 0
   * for any other master (local-cluster[...] included: its slots are its executors').
   */
  static int localCores(String master) {
    Matcher m = LOCAL.matcher(master);
    if (!m.matches()) {
      return 0;
    }
    if (m.group(1) == null) {
      return 1;
    }
    return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
        : Math.max(1, Integer.parseInt(m.group(1)));
  }

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
      // Spark's 200 shuffle partitions are sized for a cluster. Evaluate groups cached forecasts
      // (whose partitioning AQE does not coalesce) several times: on one core a one-job
      // evaluate ran 200-400 tasks per stage and took 108 s, with 4 partitions 32 s (the same
      // report). A few tasks per core keeps a skewed key from idling the others.
      int cores = localCores(conf.get("spark.master"));
      if (cores > 0) {
        conf.setIfMissing("spark.sql.shuffle.partitions",
            Integer.toString(SHUFFLE_PARTITIONS_PER_LOCAL_CORE * cores));
      }
    }
    return conf.set("spark.ui.enabled", "false")
        .set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
  }
}
