package io.tracecast.training.registry;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The usage patterns of each dataset ({@code <registry>/_patterns/<fingerprint>/patterns.json}
 * plus {@code checksums.sha256}), kept beside the model versions: written through the same
 * staged rename as a version (the registry's {@link Moves}), read back checksum verified.
 */
final class PatternsStore {
  /** The registry's rename-without-overwrite and cleanup, shared rather than repeated. */
  interface Moves {
    void renameWithoutOverwrite(Path from, Path to) throws IOException;

    void deleteQuietly(Path p);
  }

  private final FileSystem fs;
  private final Path base;
  private final Moves moves;

  PatternsStore(FileSystem fs, Path base, Moves moves) {
    this.fs = fs;
    this.base = base;
    this.moves = moves;
  }

  /**
   * Stores the usage patterns fitted on the dataset with this fingerprint, staged and checksummed
   * like a version, then renamed into place. A rerun with the same JSON leaves the stored file
   * as it is; different JSON (other pattern settings) replaces it: the old directory is moved
   * aside first, so a reader in between sees no patterns for the dataset, never a partial file.
   *
   * @return true when something was written, false when the same patterns were stored already
   */
  boolean publish(String datasetFingerprint, String patternsJson) {
    Path dir = patternsDir(datasetFingerprint);
    byte[] bytes = patternsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (read(datasetFingerprint).filter(patternsJson::equals).isPresent()) {
        return false;
      }
      Path staging = new Path(dir.getParent(), RegistryLayout.staging());
      Path old = new Path(dir.getParent(), RegistryLayout.replaced());
      try {
        fs.mkdirs(staging);
        try (OutputStream out = fs.create(new Path(staging, RegistryLayout.PATTERNS_FILE), false)) {
          out.write(bytes);
        }
        Checksums.write(fs, staging, List.of(RegistryLayout.PATTERNS_FILE));
        if (fs.exists(dir)) {
          moves.renameWithoutOverwrite(dir, old);
        }
        moves.renameWithoutOverwrite(staging, dir);
        return true;
      } finally {
        moves.deleteQuietly(staging);
        moves.deleteQuietly(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store patterns of dataset " + datasetFingerprint
          + " in " + base + ": " + e, e);
    }
  }

  /** The stored patterns JSON of a dataset, checksum verified; empty when none is stored. */
  java.util.Optional<String> read(String datasetFingerprint) {
    Path dir = patternsDir(datasetFingerprint);
    Path file = new Path(dir, RegistryLayout.PATTERNS_FILE);
    try {
      if (!fs.exists(file)) {
        return java.util.Optional.empty();
      }
      byte[] bytes;
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
      Checksums.verifyBytes(fs, dir, RegistryLayout.PATTERNS_FILE, bytes);
      return java.util.Optional.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e, e);
    }
  }

  /** Fingerprints of the datasets with stored patterns, sorted. */
  List<String> fingerprints() {
    List<String> out = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(base)) {
        String fp = s.isDirectory() ? RegistryNames.decode(s.getPath().getName()) : null;
        if (fp != null && fs.exists(new Path(s.getPath(), RegistryLayout.PATTERNS_FILE))) {
          out.add(fp);
        }
      }
    } catch (FileNotFoundException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list patterns in " + base + ": " + e, e);
    }
    out.sort(null);
    return out;
  }

  private Path patternsDir(String datasetFingerprint) {
    return new Path(base,
        RegistryNames.encode(datasetFingerprint, "dataset fingerprint"));
  }
}
