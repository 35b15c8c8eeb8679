package io.tracecast.evaluation.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Replaces a directory as a whole: the content is written into a hidden sibling
 * {@code .<name>.tmp-<uuid>}, and only once it is complete does it take the directory's place.
 * The old directory is first renamed aside ({@code .<name>.old-<uuid>}), then deleted, so a
 * reader sees the old report or the new one, never a mix; a crash leaves at worst a hidden
 * sibling behind, never a half-written {@code <name>}.
 */
final class ReportDirectory {

  /** Fills the (empty, existing) directory it is given. */
  interface Content {
    void writeInto(Path dir) throws IOException;
  }

  private ReportDirectory() {}

  static void replace(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().normalize();
    Path parent = dir.getParent();
    if (parent == null) {
      throw new IOException("cannot replace a file system root with a report: " + target);
    }
    Files.createDirectories(parent);
    String name = dir.getFileName().toString();
    Path tmp = parent.resolve("." + name + ".tmp-" + UUID.randomUUID());
    Files.createDirectory(tmp);
    try {
      content.writeInto(tmp);
      Path old = null;
      if (Files.exists(dir)) {
        old = parent.resolve("." + name + ".old-" + UUID.randomUUID());
        move(dir, old);
      }
      try {
        move(tmp, dir);
      } catch (IOException e) {
        if (old != null) {
          move(old, dir); // put the previous report back rather than leave none
        }
        throw e;
      }
      if (old != null) {
        deleteTree(old);
      }
    } finally {
      if (Files.exists(tmp)) {
        deleteTree(tmp);
      }
    }
  }

  /** A rename within one directory: atomic on POSIX file systems, a plain move elsewhere. */
  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      // children before their parents
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
