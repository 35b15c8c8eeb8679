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
 * One JSON document per dataset kept beside the model versions
 * ({@code <registry>/<dir>/<fingerprint>/<file>} plus {@code checksums.sha256}): the usage
 * patterns training fitted ({@code _patterns/.../patterns.json}) and the interval calibration
 * evaluation computed ({@code _intervals/.../intervals.json}). Written through the same staged
 * rename as a version (the registry's {@link Moves}), read back checksum verified.
 */
final class DatasetDocuments {
  /** The registry's rename-without-overwrite and cleanup, shared rather than repeated. */
  interface Moves {
    void renameWithoutOverwrite(Path from, Path to) throws IOException;

    void deleteQuietly(Path p);
  }

  private final FileSystem fs;
  private final Path base;
  private final String fileName;
  private final String what;
  private final Moves moves;

  /**
   * @param base the store's directory, e.g. {@code <registry>/_patterns}
   * @param fileName the document's name in each dataset's directory
   * @param what what the document holds, for error messages
   */
  DatasetDocuments(FileSystem fs, Path base, String fileName, String what, Moves moves) {
    this.fs = fs;
    this.base = base;
    this.fileName = fileName;
    this.what = what;
    this.moves = moves;
  }

  /**
   * Stores the document of the dataset with this fingerprint, staged and checksummed like a
   * version, then renamed into place. A rerun with the same JSON leaves the stored file as it
   * is; different JSON (other settings) replaces it: the old directory is moved aside first, so
   * a reader in between sees no document for the dataset, never a partial file.
   *
   * @return true when something was written, false when the same JSON was stored already
   */
  boolean publish(String datasetFingerprint, String json) {
    Path dir = dir(datasetFingerprint);
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (read(datasetFingerprint).filter(json::equals).isPresent()) {
        return false;
      }
      Path staging = new Path(dir.getParent(), RegistryLayout.staging());
      Path old = new Path(dir.getParent(), RegistryLayout.replaced());
      try {
        fs.mkdirs(staging);
        try (OutputStream out = fs.create(new Path(staging, fileName), false)) {
          out.write(bytes);
        }
        Checksums.write(fs, staging, List.of(fileName));
        // CrashSafetyIT kills here: written and checksummed, not yet visible
        io.tracecast.common.PausePoint.reach(fileName + ".staged");
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
      throw new UncheckedIOException("cannot store " + what + " of dataset " + datasetFingerprint
          + " in " + base + ": " + e, e);
    }
  }

  /** The stored JSON of a dataset, checksum verified; empty when none is stored. */
  java.util.Optional<String> read(String datasetFingerprint) {
    Path dir = dir(datasetFingerprint);
    Path file = new Path(dir, fileName);
    try {
      if (!fs.exists(file)) {
        return java.util.Optional.empty();
      }
      byte[] bytes;
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
      Checksums.verifyBytes(fs, dir, fileName, bytes);
      return java.util.Optional.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e, e);
    }
  }

  /** Fingerprints of the datasets with a stored document, sorted. */
  List<String> fingerprints() {
    List<String> out = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(base)) {
        String fp = s.isDirectory() ? RegistryNames.decode(s.getPath().getName()) : null;
        if (fp != null && fs.exists(new Path(s.getPath(), fileName))) {
          out.add(fp);
        }
      }
    } catch (FileNotFoundException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + what + " in " + base + ": " + e, e);
    }
    out.sort(null);
    return out;
  }

  private Path dir(String datasetFingerprint) {
    return new Path(base,
        RegistryNames.encode(datasetFingerprint, "dataset fingerprint"));
  }
}
