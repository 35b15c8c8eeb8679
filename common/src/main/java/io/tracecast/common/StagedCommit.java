package io.tracecast.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an output (a directory or a single file: a dataset, predictions, a report, an index
 * page) on any Hadoop filesystem as one rename. The stage writes into a hidden sibling
 * {@code .<name>.tmp-<uuid>}; {@link #commit} renames an existing target aside
 * ({@code .<name>.old-<uuid>}), renames the staging onto the target, then deletes the old copy.
 * When the second rename fails the old copy is renamed back, so a replace leaves the old output
 * or the new one, never neither. Rename is atomic on HDFS and local filesystems; on object stores
 * (s3a) it is a copy, which the README points out.
 *
 * <p>A crash (kill -9) can leave hidden siblings behind: a staging copy, an old copy after the new
 * one took its place, or, between the two renames, an old copy and no target. The next
 * {@link #begin} of the same target puts such an old copy back when the target is missing and
 * then deletes the leftovers modified before that run began; until then {@link #readable} lets
 * tracecast's readers (datasets, reports) read that old copy, so a user is never left with
 * neither version. Two runs writing one target at the same time are not supported: the later
 * one may delete the earlier one's staging.
 */
public final class StagedCommit {
  private static final Logger LOG = LoggerFactory.getLogger(StagedCommit.class);
  private static final String STAGING_INFIX = ".tmp-";
  private static final String OLD_INFIX = ".old-";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;

  private StagedCommit(FileSystem fs, Path target, Path staging) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
  }

  /**
   * Recovers what an earlier crash left beside {@code target}, then fails fast when
   * {@code target} exists and {@code overwrite} is false. Nothing is created yet: the stage
   * creates the staging path (a directory or a file) itself.
   *
   * @param target a path or URI ({@code hdfs://nn/x}, {@code file:/x}, {@code x})
   */
  public static StagedCommit begin(String target, boolean overwrite, Configuration conf) {
    try {
      Path t = new Path(target);
      FileSystem fs = t.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        // No .crc sidecars on local disks: reports are read by people and browsers, and a
        // sidecar is one more file a rename must carry along.
        fs = local.getRaw();
      }
      t = fs.makeQualified(t);
      if (t.getParent() == null) {
        throw new IllegalArgumentException("cannot write an output onto a filesystem root: "
            + target);
      }
      recover(fs, t, System.currentTimeMillis());
      if (fs.exists(t) && !overwrite) {
        throw new IllegalStateException(
            "output " + t + " already exists; pass --overwrite to replace it");
      }
      Path staging = new Path(t.getParent(), "." + t.getName() + STAGING_INFIX
          + UUID.randomUUID());
      return new StagedCommit(fs, t, staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + target + ": " + e, e);
    }
  }

  /** Where the stage writes its output before commit (fully qualified). */
  public String staging() {
    return staging.toString();
  }

  /** The output's final place (fully qualified). */
  public String target() {
    return target.toString();
  }

  /** The filesystem of both paths, for stages that write with Hadoop streams. */
  public FileSystem fileSystem() {
    return fs;
  }

  /** Moves the staged output into place, replacing an existing one if begun with overwrite. */
  public void commit() {
    try {
      if (!fs.exists(staging)) {
        throw new IOException("nothing was staged at " + staging);
      }
      PausePoint.reach("commit.staged");
      Path old = null;
      if (fs.exists(target)) {
        old = sibling(OLD_INFIX);
        rename(target, old);
        PausePoint.reach("commit.aside");
      }
      try {
        rename(staging, target);
      } catch (IOException e) {
        if (old != null) {
          restore(old, e);
        }
        throw e;
      }
      PausePoint.reach("commit.swapped");
      if (old != null && !fs.delete(old, true)) {
        LOG.warn("could not delete the replaced output {}; the next run removes it", old);
      }
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("cannot commit " + target + ": " + e.getMessage(), e);
    }
  }

  /** Removes the staged output after a failure; the target is untouched. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // the failure that led here matters more; the next begin removes a stale staging copy
    }
  }

  /** After a failed rename onto the target: whatever the rename left there goes, the old back. */
  private void restore(Path old, IOException failure) {
    try {
      if (fs.exists(target)) {
        fs.delete(target, true); // a partial copy (local rename falls back to copying)
      }
      rename(old, target);
    } catch (IOException e) {
      failure.addSuppressed(e);
      failure.addSuppressed(new IOException("the previous output is kept at " + old
          + "; the next run puts it back"));
    }
  }

  private Path sibling(String infix) {
    return new Path(target.getParent(), "." + target.getName() + infix + UUID.randomUUID());
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }

  /**
   * Where a reader finds {@code target}'s committed content: {@code target} itself, or, when a
   * crash between a replace's two renames left no target, the newest old copy beside it (the
   * previous complete version; the next write of the target puts it back). Reading changes
   * nothing. Returns {@code target} unchanged when neither exists, so the reader's own "not
   * found" error names the path the user gave.
   */
  public static String readable(String target, Configuration conf) {
    try {
      Path t = new Path(target);
      FileSystem fs = t.getFileSystem(conf);
      if (fs.exists(t) || t.getParent() == null || !fs.exists(t.getParent())) {
        return target;
      }
      FileStatus newest = null;
      for (FileStatus s : fs.listStatus(t.getParent())) {
        if (s.getPath().getName().startsWith("." + t.getName() + OLD_INFIX)
            && (newest == null || s.getModificationTime() > newest.getModificationTime())) {
          newest = s;
        }
      }
      if (newest == null) {
        return target;
      }
      LOG.warn("{} is missing (a run stopped while replacing it): reading the previous copy {}",
          target, newest.getPath());
      return newest.getPath().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + target + ": " + e, e);
    }
  }

  /**
   * Puts back the newest old copy when the target is missing (a crash between the two renames
   * of a commit), then deletes staging and old siblings last modified before {@code runStart}.
   */
  static void recover(FileSystem fs, Path target, long runStartMillis) throws IOException {
    List<FileStatus> staged = new ArrayList<>();
    List<FileStatus> old = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(target.getParent())) {
        String name = s.getPath().getName();
        if (name.startsWith("." + target.getName() + STAGING_INFIX)) {
          staged.add(s);
        } else if (name.startsWith("." + target.getName() + OLD_INFIX)) {
          old.add(s);
        }
      }
    } catch (FileNotFoundException e) {
      return; // no parent yet: nothing was ever written here
    }
    old.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
    if (!old.isEmpty() && !fs.exists(target)) {
      Path newest = old.remove(0).getPath();
      if (!fs.rename(newest, target)) {
        throw new IOException("cannot put the previous output " + newest + " back at " + target);
      }
      LOG.warn("restored {} from {}, left by a run that stopped while replacing it", target,
          newest);
    }
    staged.addAll(old);
    for (FileStatus s : staged) {
      if (s.getModificationTime() < runStartMillis) {
        LOG.info("removing {}, left by an earlier run", s.getPath());
        fs.delete(s.getPath(), true);
      }
    }
  }
}
