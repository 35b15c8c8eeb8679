package io.tracecast.training.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VersionRefTest {
  @Test
  void parsesEverySpellingTheCommandLineUses() {
    assertEquals(VersionRef.LATEST, VersionRef.parse("latest"));
    assertEquals(VersionRef.LATEST, VersionRef.parse(" LATEST "));
    assertEquals(VersionRef.version(3), VersionRef.parse("3"));
    assertEquals(VersionRef.version(3), VersionRef.parse("v3"));
    assertEquals(VersionRef.alias("champion"), VersionRef.parse("champion"));
    // not a version: too many digits for an int version, or a name that only starts with v
    assertEquals(VersionRef.alias("v1234567890"), VersionRef.parse("v1234567890"));
    assertEquals(VersionRef.alias("vx"), VersionRef.parse("vx"));
  }

  @Test
  void printsTheCanonicalSpellingAndRefusesNonsense() {
    assertEquals("v7", VersionRef.parse("7").toString());
    assertEquals("latest", VersionRef.LATEST.toString());
    assertEquals("served", VersionRef.parse("served").toString());
    assertThrows(IllegalArgumentException.class, () -> VersionRef.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> VersionRef.parse("  "));
  }
}
