package io.tracecast.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MlflowNamesTest {

  @Test
  void keepsReadableIdsAndEscapesEverythingElseIncludingTheSeparator() {
    assertEquals("tracecast.m_1932.lstm", MlflowNames.registeredModel("tracecast", "m_1932",
        "lstm"));
    assertEquals("tracecast.2013-7.gbt_pattern",
        MlflowNames.registeredModel("tracecast", "2013-7", "gbt_pattern"));
    // an Azure VM id (base64) and a job with a dot: no '/', ':', quote or '%' survives
    String azure = MlflowNames.registeredModel("tc", "ab/c+d==", "mlp");
    assertEquals("tc.ab~2Fc~2Bd~3D~3D.mlp", azure);
    assertEquals("tc.a~2Eb.c", MlflowNames.registeredModel("tc", "a.b", "c"));
    assertEquals("tc.a.b~2Ec", MlflowNames.registeredModel("tc", "a", "b.c"));
    assertEquals("tc.~27x~27.mlp", MlflowNames.registeredModel("tc", "'x'", "mlp"));
    assertEquals("tc.~C3~A9.mlp", MlflowNames.registeredModel("tc", "\u00e9", "mlp"));
  }

  @Test
  void distinctJobModelPairsNeverShareAName() {
    assertNotEquals(MlflowNames.registeredModel("tc", "a.b", "c"),
        MlflowNames.registeredModel("tc", "a", "b.c"));
    assertNotEquals(MlflowNames.registeredModel("tc", "a~2E", "c"),
        MlflowNames.registeredModel("tc", "a.", "c"));
  }

  @Test
  void refusesAPrefixOrIdMlflowCouldNotTake() {
    assertThrows(IllegalArgumentException.class,
        () -> MlflowNames.registeredModel("my.prefix", "j", "m"));
    assertThrows(IllegalArgumentException.class, () -> MlflowNames.registeredModel("tc", "", "m"));
    assertThrows(IllegalArgumentException.class,
        () -> MlflowNames.registeredModel("tc", "x".repeat(300), "m"));
  }

  @Test
  void aliasesFollowMlflowRulesAndReservedNames() {
    assertTrue(MlflowNames.usableAlias("champion"));
    assertTrue(MlflowNames.usableAlias("challenger-2"));
    assertFalse(MlflowNames.usableAlias("latest"));
    assertFalse(MlflowNames.usableAlias("V3"));
    assertFalse(MlflowNames.usableAlias("my alias"));
    assertFalse(MlflowNames.usableAlias("a.b"));
  }

  @Test
  void proxiedArtifactUrisBecomeTheServersArtifactEndpoint() {
    MlflowRest rest = new MlflowRest("http://127.0.0.1:5000/", Duration.ofSeconds(1));
    assertEquals(URI.create("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/"
        + "artifacts/model/model.zip"),
        rest.artifactEndpoint("mlflow-artifacts:/1/abc/artifacts", "model/model.zip"));
    assertEquals(URI.create("http://other:9/api/2.0/mlflow-artifacts/artifacts/1/abc/a/x"),
        rest.artifactEndpoint("mlflow-artifacts://other:9/1/abc/a", "x"));
    MlflowException e = assertThrows(MlflowException.class,
        () -> rest.artifactEndpoint("s3://bucket/1/abc/artifacts", "x"));
    assertTrue(e.getMessage().contains("--artifacts-destination"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new MlflowRest("sqlite:///tmp/mlflow.db", Duration.ofSeconds(1)));
  }
}
