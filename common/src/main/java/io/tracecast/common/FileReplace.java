package io.tracecast.common;

import java.io.IOException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Replaces a small file (an alias table, a checkpoint's state) by renaming a fully written
 * temporary file over it, so that a reader, or a run after a kill -9, finds the old file or the
 * new one and never none. Hadoop's rename with {@code OVERWRITE} does not give that on a local
 * disk: {@code AbstractFileSystem} deletes the target, then renames (a kill in between would lose
 * a checkpoint's state). Locally this uses POSIX rename(2), which
 * replaces atomically; on HDFS the rename with overwrite is one NameNode operation.
 */
public final class FileReplace {
  private FileReplace() {}

  /** Renames {@code from} onto {@code to}, replacing it atomically. */
  public static void replace(FileSystem fs, FileContext fc, Path from, Path to)
      throws IOException {
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    if (raw instanceof RawLocalFileSystem) {
      if (!raw.rename(from, to)) {
        throw new IOException("rename " + from + " -> " + to + " failed");
      }
    } else {
      fc.rename(from, to, Options.Rename.OVERWRITE);
    }
  }
}
