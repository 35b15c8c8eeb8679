package io.tracecast.training.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's home for usage patterns: one checksummed file per dataset fingerprint. */
class RegistryPatternsTest {
  private static final String FP = "sha256:0f3a";

  @TempDir
  Path tmp;

  private ModelRegistry registry() {
    return ModelRegistry.open(tmp.toString(), new Configuration());
  }

  @Test
  void patternsAreStoredOncePerFingerprintAndReadBackAsWritten() {
    ModelRegistry reg = registry();
    assertEquals(Optional.empty(), reg.patterns(FP));
    assertEquals(List.of(), reg.patternFingerprints());
    String json = "{\"patterns\": [1, 2]}";
    assertTrue(reg.publishPatterns(FP, json));
    assertFalse(reg.publishPatterns(FP, json), "the same patterns again write nothing");
    assertEquals(Optional.of(json), registry().patterns(FP));
    assertEquals(List.of(FP), reg.patternFingerprints());
    assertTrue(reg.publishPatterns("other", "{}"));
    assertEquals(List.of("other", FP), reg.patternFingerprints());
    // the patterns directory is not a job
    assertEquals(List.of(), reg.list());
  }

  @Test
  void otherPatternsOfTheSameDatasetReplaceTheStoredOnes() throws IOException {
    ModelRegistry reg = registry();
    reg.publishPatterns(FP, "{\"k\": 2}");
    assertTrue(reg.publishPatterns(FP, "{\"k\": 3}"));
    assertEquals(Optional.of("{\"k\": 3}"), reg.patterns(FP));
    try (var files = Files.list(tmp.resolve("_patterns"))) {
      assertEquals(1, files.count(), "no staging or replaced directory is left behind");
    }
  }

  @Test
  void aModifiedPatternsFileIsRejected() throws IOException {
    ModelRegistry reg = registry();
    reg.publishPatterns(FP, "{\"k\": 2}");
    Path file;
    try (var dirs = Files.list(tmp.resolve("_patterns"))) {
      file = dirs.findFirst().orElseThrow().resolve(RegistryLayout.PATTERNS_FILE);
    }
    Files.writeString(file, "{\"k\": 9}", StandardCharsets.UTF_8);
    assertThrows(RegistryCorruptedException.class, () -> reg.patterns(FP));
  }
}
