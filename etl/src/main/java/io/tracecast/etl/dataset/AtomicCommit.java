package io.tracecast.etl.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes go to a hidden sibling directory that is renamed onto the target only when complete,
 * so readers see either no dataset or a whole one. Directory rename is atomic on HDFS and local
 * filesystems; on object stores (s3a) it is a copy, which the README points out.
 */
public final class AtomicCommit {
  private final FileSystem fs;
  private final Path target;
  private final Path staging;

  private AtomicCommit(FileSystem fs, Path target, Path staging) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
  }

  /** Fails fast when {@code target} exists and {@code overwrite} is false. */
  public static AtomicCommit begin(String target, boolean overwrite, Configuration conf) {
    try {
      Path t = new Path(target);
      FileSystem fs = t.getFileSystem(conf);
      t = fs.makeQualified(t);
      if (fs.exists(t) && !overwrite) {
        throw new IllegalStateException(
            "output " + t + " already exists; pass --overwrite to replace it");
      }
      Path staging = new Path(t.getParent(), "." + t.getName() + ".tmp-" + UUID.randomUUID());
      return new AtomicCommit(fs, t, staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + target + ": " + e, e);
    }
  }

  /** Where the stage writes its output before commit. */
  public String staging() {
    return staging.toString();
  }

  public String target() {
    return target.toString();
  }

  /** Moves the staged output into place, replacing an existing one if begun with overwrite. */
  public void commit() {
    try {
      Path old = null;
      if (fs.exists(target)) {
        old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
        rename(target, old);
      }
      rename(staging, target);
      if (old != null) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit " + target + ": " + e, e);
    }
  }

  /** Removes the staged output after a failure; the target is untouched. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // the failure that led here matters more; a stale hidden directory is harmless
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
