package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicCommitTest {
  @TempDir
  Path tmp;

  private static Path local(String hadoopPath) {
    return Path.of(new org.apache.hadoop.fs.Path(hadoopPath).toUri());
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void stagesInAHiddenSiblingAndRenamesOnCommit() throws IOException {
    Path target = tmp.resolve("ds");
    AtomicCommit commit = AtomicCommit.begin(target.toString(), false, new Configuration());
    Path staging = local(commit.staging());
    assertEquals(tmp, staging.getParent());
    assertTrue(staging.getFileName().toString().startsWith(".ds.tmp-"), staging.toString());
    Files.createDirectories(staging);
    Files.writeString(staging.resolve("manifest.json"), "{}");
    assertFalse(Files.exists(target), "nothing visible before commit");

    commit.commit();
    assertEquals("{}", Files.readString(target.resolve("manifest.json")));
    assertEquals(List.of("ds"), siblings());
  }

  @Test
  void failsFastOnAnExistingTargetWithoutOverwrite() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AtomicCommit.begin(target.toString(), false, new Configuration()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
  }

  @Test
  void replacesAnExistingTargetWithOverwriteAndRemovesTheOldOne() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    Files.writeString(target.resolve("old.txt"), "old");
    AtomicCommit commit = AtomicCommit.begin(target.toString(), true, new Configuration());
    Path staging = Files.createDirectories(local(commit.staging()));
    Files.writeString(staging.resolve("new.txt"), "new");
    assertTrue(Files.exists(target.resolve("old.txt")), "old dataset visible until commit");

    commit.commit();
    assertFalse(Files.exists(target.resolve("old.txt")));
    assertEquals("new", Files.readString(target.resolve("new.txt")));
    assertEquals(List.of("ds"), siblings());
  }

  @Test
  void abortRemovesTheStagingAndLeavesTheTargetAlone() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    Files.writeString(target.resolve("old.txt"), "old");
    AtomicCommit commit = AtomicCommit.begin(target.toString(), true, new Configuration());
    Path staging = Files.createDirectories(local(commit.staging()));
    Files.writeString(staging.resolve("part-0.parquet"), "half written");

    commit.abort();
    assertEquals("old", Files.readString(target.resolve("old.txt")));
    assertEquals(List.of("ds"), siblings());
  }
}
