package io.tracecast.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedCommitTest {
  @TempDir
  Path tmp;

  /**
   * The local filesystem, except that renaming a staging copy fails: what a replace meets when
   * the NameNode or the disk refuses the second of its two renames.
   */
  public static final class StagingRenameFails extends RawLocalFileSystem {
    @Override
    public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst)
        throws IOException {
      return !src.getName().contains(".tmp-") && super.rename(src, dst);
    }
  }

  private static Path local(String hadoopPath) {
    return Path.of(new org.apache.hadoop.fs.Path(hadoopPath).toUri());
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path oldLeftover(String name, String content) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("a.txt"), content);
    Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    return dir;
  }

  @Test
  void stagesInAHiddenSiblingAndRenamesOnCommit() throws IOException {
    Path target = tmp.resolve("ds");
    StagedCommit commit = StagedCommit.begin(target.toString(), false, new Configuration());
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
  void commitsASingleFileOverAnExistingOne() throws IOException {
    Path target = Files.writeString(tmp.resolve("index.html"), "old");
    StagedCommit commit = StagedCommit.begin(target.toUri().toString(), true,
        new Configuration());
    Files.writeString(local(commit.staging()), "new");
    commit.commit();
    assertEquals("new", Files.readString(target));
    assertEquals(List.of("index.html"), siblings());
  }

  @Test
  void failsFastOnAnExistingTargetWithoutOverwrite() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StagedCommit.begin(target.toString(), false, new Configuration()));
    assertEquals("output file:" + target + " already exists; pass --overwrite to replace it",
        e.getMessage());
    assertEquals(List.of("ds"), siblings());
  }

  @Test
  void replacesAnExistingTargetWithOverwriteAndRemovesTheOldOne() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    Files.writeString(target.resolve("old.txt"), "old");
    StagedCommit commit = StagedCommit.begin(target.toString(), true, new Configuration());
    Path staging = Files.createDirectories(local(commit.staging()));
    Files.writeString(staging.resolve("new.txt"), "new");
    assertTrue(Files.exists(target.resolve("old.txt")), "old dataset visible until commit");

    commit.commit();
    assertFalse(Files.exists(target.resolve("old.txt")));
    assertEquals("new", Files.readString(target.resolve("new.txt")));
    assertEquals(List.of("ds"), siblings());
  }

  @Test
  void aFailedReplacePutsTheOldOutputBack() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    Files.writeString(target.resolve("old.txt"), "old");
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", StagingRenameFails.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    StagedCommit commit = StagedCommit.begin(target.toString(), true, conf);
    Path staging = Files.createDirectories(local(commit.staging()));
    Files.writeString(staging.resolve("new.txt"), "new");

    UncheckedIOException e = assertThrows(UncheckedIOException.class, commit::commit);
    assertTrue(e.getMessage().startsWith("cannot commit file:" + target + ": rename "),
        e.getMessage());
    assertEquals(List.of("old.txt"), names(target));
    assertEquals("old", Files.readString(target.resolve("old.txt")));
    assertEquals(List.of("ds"), siblings(), "no staging or old copy left");
  }

  @Test
  void abortRemovesTheStagingAndLeavesTheTargetAlone() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("ds"));
    Files.writeString(target.resolve("old.txt"), "old");
    StagedCommit commit = StagedCommit.begin(target.toString(), true, new Configuration());
    Path staging = Files.createDirectories(local(commit.staging()));
    Files.writeString(staging.resolve("part-0.parquet"), "half written");

    commit.abort();
    assertEquals("old", Files.readString(target.resolve("old.txt")));
    assertEquals(List.of("ds"), siblings());
  }

  @Test
  void theNextRunRestoresTheOldCopyACrashBetweenTheRenamesLeftWithoutATarget()
      throws IOException {
    // killed after renaming the old output aside, before renaming the new one in
    oldLeftover(".ds.old-1", "old");
    oldLeftover(".ds.tmp-2", "new, complete or not");

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StagedCommit.begin(tmp.resolve("ds").toString(), false, new Configuration()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("old", Files.readString(tmp.resolve("ds").resolve("a.txt")));
    assertEquals(List.of("ds"), siblings());
  }

  @Test
  void readersFindThePreviousCopyWhileACrashedReplaceLeftNoTarget() throws IOException {
    Configuration conf = new Configuration();
    Path target = tmp.resolve("ds");
    // nothing at all: the path the user gave, for the reader's own "not found"
    assertEquals(target.toString(), StagedCommit.readable(target.toString(), conf));
    Path older = oldLeftover(".ds.old-1", "older");
    Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
    Path newest = oldLeftover(".ds.old-2", "previous");
    oldLeftover(".other.old-3", "not ours");
    String found = StagedCommit.readable(target.toString(), conf);
    assertEquals(newest, local(found));
    assertEquals("previous", Files.readString(local(found).resolve("a.txt")));
    // reading moved nothing
    assertEquals(List.of(".ds.old-1", ".ds.old-2", ".other.old-3"), siblings());
    Files.createDirectories(target);
    assertEquals(target.toString(), StagedCommit.readable(target.toString(), conf));
  }

  @Test
  void theNextRunRemovesStaleLeftoversOfItsTargetOnly() throws IOException {
    Path target = oldLeftover("ds", "current");
    oldLeftover(".ds.tmp-1", "killed while writing");
    oldLeftover(".ds.old-2", "killed before deleting the replaced copy");
    oldLeftover(".ds2.tmp-3", "another output's staging");
    // a staging copy modified after this run began belongs to a run that is still writing
    Path fresh = Files.createDirectories(tmp.resolve(".ds.tmp-4"));
    Files.setLastModifiedTime(fresh, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

    StagedCommit commit = StagedCommit.begin(target.toString(), true, new Configuration());
    assertEquals(List.of(".ds.tmp-4", ".ds2.tmp-3", "ds"), siblings());
    assertEquals("current", Files.readString(target.resolve("a.txt")));
    Files.createDirectories(local(commit.staging()));
    commit.commit();
    assertEquals(List.of(), names(target));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
