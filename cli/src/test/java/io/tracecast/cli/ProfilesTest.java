package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** conf/profiles: each resolves and sets what its executors need. */
class ProfilesTest {
  private static String spark(Config c, String key) {
    return c.getConfig("tracecast.spark").root().unwrapped().get(key).toString();
  }

  /** OMP_NUM_THREADS in the SparkConf a command with this threads-per-task builds. */
  private static String executorOpenMpThreads(Config c, int threadsPerTask) {
    return SparkSessions.conf("t", "local[1]", c, SparkSessions.threadsPerTask(threadsPerTask))
        .get(SparkSessions.OMP_NUM_THREADS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "standalone", "yarn", "k8s"})
  void executorsGetTheCommandsThreadsPerTaskAsOpenMpThreads(String profile) {
    Config c = Settings.load(profile, null, Map.of());
    assertEquals("1", executorOpenMpThreads(c, 1));
    assertEquals("2", executorOpenMpThreads(c, 2));
  }

  @Test
  void aLocalSessionDoesNotWaitForLocalityButAClusterOneKeepsSparksDefault() {
    Config c = Settings.load("local", null, Map.of());
    assertEquals("0s", SparkSessions.conf("t", "local[2]", c, Map.of())
        .get("spark.locality.wait"));
    assertEquals("absent", SparkSessions.conf("t", "spark://h:7077",
        Settings.load("standalone", null, Map.of()), Map.of())
        .get("spark.locality.wait", "absent"));
  }

  @Test
  void aLocalSessionShufflesIntoAFewPartitionsPerCoreAndAClusterOneKeepsItsProfiles() {
    Config local = Settings.load(null, null, Map.of());
    String key = "spark.sql.shuffle.partitions";
    assertEquals("4", SparkSessions.conf("t", "local", local, Map.of()).get(key));
    assertEquals("12", SparkSessions.conf("t", "local[3]", local, Map.of()).get(key));
    assertEquals("8", SparkSessions.conf("t", "local[2,4]", local, Map.of()).get(key));
    assertEquals(Integer.toString(4 * Runtime.getRuntime().availableProcessors()),
        SparkSessions.conf("t", "local[*]", local, Map.of()).get(key));
    // What the user or a profile set wins; local-cluster and cluster masters keep Spark's or
    // the profile's.
    assertEquals("8", SparkSessions.conf("t", "local[3]", Settings.load("local", null,
        Map.of()), Map.of()).get(key));
    assertEquals("7", SparkSessions.conf("t", "local[2]", ConfigFactory.parseString(
        "tracecast.spark { \"spark.sql.shuffle.partitions\" = 7 }").withFallback(local),
        Map.of()).get(key));
    assertEquals("absent", SparkSessions.conf("t", "local-cluster[2,1,1024]", local, Map.of())
        .get(key, "absent"));
    assertEquals("64", SparkSessions.conf("t", "spark://h:7077",
        Settings.load("standalone", null, Map.of()), Map.of()).get(key));
  }

  @Test
  void theGpuProfilesOpenMpThreadsSurviveTheCommandsThreadsPerTask() {
    assertEquals("4", executorOpenMpThreads(Settings.load("gpu", null, Map.of()), 1));
  }

  @Test
  void aConfFileWinsOverTheProfileAndSparkSubmitOverBoth(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("omp.conf"),
        "tracecast.spark { \"spark.executorEnv.OMP_NUM_THREADS\" = \"3\" }\n");
    Config c = Settings.load("gpu", file.toFile(), Map.of());
    assertEquals("3", executorOpenMpThreads(c, 1));
    // spark-submit --conf arrives as a system property
    System.setProperty(SparkSessions.OMP_NUM_THREADS, "5");
    try {
      assertEquals("5", executorOpenMpThreads(c, 1));
    } finally {
      System.clearProperty(SparkSessions.OMP_NUM_THREADS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "standalone", "yarn", "k8s", "gpu"})
  void everyProfileSchedulesFairlySoDataParallelJobsRunBesidePackedTasks(String profile) {
    assertEquals("FAIR", spark(Settings.load(profile, null, Map.of()), "spark.scheduler.mode"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"standalone", "yarn", "k8s", "gpu"})
  void clusterProfilesOpenTheJdkToExecutorsAndUseKryoWithNd4jsRegistrator(String profile) {
    Config c = Settings.load(profile, null, Map.of());
    assertTrue(spark(c, "spark.executor.extraJavaOptions")
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
    assertEquals("org.apache.spark.serializer.KryoSerializer", spark(c, "spark.serializer"));
    assertEquals(KryoRegistrator.class.getName(), spark(c, "spark.kryo.registrator"));
    assertTrue(Integer.parseInt(spark(c, "spark.executor.cores")) >= 1);
  }
}
