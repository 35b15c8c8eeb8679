package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** conf/profiles: each resolves and sets what its executors need. */
class ProfilesTest {
  private static String spark(Config c, String key) {
    return c.getConfig("tracecast.spark").root().unwrapped().get(key).toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "standalone", "yarn", "k8s", "gpu"})
  void everyProfileSetsOneOpenMpThreadPerTaskCore(String profile) {
    Config c = Settings.load(profile, null, Map.of());
    String cores = profile.equals("gpu") ? "4" : "1";
    assertEquals(cores, spark(c, "spark.executorEnv.OMP_NUM_THREADS"));
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
