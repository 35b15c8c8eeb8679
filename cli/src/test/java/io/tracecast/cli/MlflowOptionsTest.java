package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.mlflow.MlflowSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The --mlflow-* flags override tracecast.mlflow, which overrides conf/application.conf. */
class MlflowOptionsTest {
  @TempDir
  Path tmp;

  private static MlflowSettings settings(java.io.File conf, String... args) {
    MlflowOptions o = new MlflowOptions();
    new CommandLine(o).parseArgs(args);
    return MlflowSettings.parse(Settings.load(null, conf, o.addTo(Map.of())));
  }

  @Test
  void defaultsExportNothingAConfFileSetsAndFlagsWin() throws Exception {
    MlflowSettings defaults = settings(null);
    assertFalse(defaults.enabled());
    assertEquals("tracecast", defaults.experiment());
    assertEquals(Duration.ofSeconds(120), defaults.timeout());

    java.io.File conf = Files.writeString(tmp.resolve("m.conf"),
        "tracecast.mlflow { tracking-uri = \"http://conf:5000\", prefix = team }\n").toFile();
    MlflowSettings fromConf = settings(conf);
    assertEquals(Optional.of("http://conf:5000"), fromConf.trackingUri());
    assertEquals("team", fromConf.prefix());

    MlflowSettings flags = settings(conf, "--mlflow-uri", "http://flag:5001",
        "--mlflow-experiment", "e2", "--mlflow-timeout-seconds", "7");
    assertEquals(Optional.of("http://flag:5001"), flags.trackingUri());
    assertEquals("e2", flags.experiment());
    assertEquals("team", flags.prefix());
    assertEquals(Duration.ofSeconds(7), flags.timeout());
  }

  @Test
  void exportWithoutAnyTrackingUriSaysWhereToSetOne() {
    String[] r = CliRun.run("registry", "export", "--registry", tmp.resolve("reg").toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("--mlflow-uri") && r[2].contains("tracecast.mlflow.tracking-uri"),
        r[2]);
  }
}
