package io.tracecast.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MlflowSettingsTest {
  private static Config conf(String uri, String timeout) {
    return ConfigFactory.parseString("tracecast.mlflow { tracking-uri = \"" + uri
        + "\", experiment = exp, prefix = pre, timeout = " + timeout + " }");
  }

  @Test
  void anEmptyUriExportsNothingAndASetOneIsKept() {
    MlflowSettings off = MlflowSettings.parse(conf("", "120s"));
    assertFalse(off.enabled());
    MlflowSettings on = MlflowSettings.parse(conf(" http://127.0.0.1:5000 ", "3s"));
    assertTrue(on.enabled());
    assertEquals(Optional.of("http://127.0.0.1:5000"), on.trackingUri());
    assertEquals("exp", on.experiment());
    assertEquals("pre", on.prefix());
    assertEquals(Duration.ofSeconds(3), on.timeout());
  }

  @Test
  void badValuesFailNamingTheFullKey() {
    ConfigException scheme = assertThrows(ConfigException.class,
        () -> MlflowSettings.parse(conf("ftp://x", "1s")));
    assertTrue(scheme.getMessage().contains("tracecast.mlflow.tracking-uri"), scheme.getMessage());
    ConfigException junk = assertThrows(ConfigException.class,
        () -> MlflowSettings.parse(conf("http://a b", "1s")));
    assertTrue(junk.getMessage().contains("tracecast.mlflow.tracking-uri"), junk.getMessage());
    ConfigException zero = assertThrows(ConfigException.class,
        () -> MlflowSettings.parse(conf("", "0s")));
    assertTrue(zero.getMessage().contains("tracecast.mlflow.timeout"), zero.getMessage());
  }
}
