package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every copy of the Java 17 module options that cannot read {@code application.conf} holds
 * exactly its options: adding an {@code --add-opens} there and forgetting one of these fails
 * here, not on a user's cluster.
 */
class JavaModuleOptionsTest {
  private static final Pattern OPTION = Pattern.compile(
      "--add-opens=[\\w./]+=ALL-UNNAMED|-Djdk\\.reflect\\.[\\w.]+=\\w+|"
          + "-Dorg\\.bytedeco\\.javacpp\\.\\w+=\\w+|"
          + "-XX:\\+IgnoreUnrecognizedVMOptions");
  private static final Path ROOT = Path.of("..");

  @ParameterizedTest
  @ValueSource(strings = {"pom.xml", "bin/tracecast", "README.md",
      "airflow-dags/tracecast_retrain.py"})
  void everyCopyHoldsExactlyTheConfiguredOptions(String file) throws IOException {
    Set<String> configured = new TreeSet<>(JavaModuleOptions.list());
    assertTrue(configured.size() >= 15, "the option list is read whole: " + configured);
    Set<String> found = new TreeSet<>();
    Matcher m = OPTION.matcher(Files.readString(ROOT.resolve(file)));
    while (m.find()) {
      found.add(m.group());
    }
    assertEquals(configured, found, file + " differs from " + JavaModuleOptions.KEY);
  }

  @org.junit.jupiter.api.Test
  void theStandaloneClusterUsesTheConfiguredOptions() {
    assertEquals(JavaModuleOptions.list(), StandaloneCluster.ADD_OPENS);
  }
}
