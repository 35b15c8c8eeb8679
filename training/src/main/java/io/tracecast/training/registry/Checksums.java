package io.tracecast.training.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code checksums.sha256} of a version directory, in {@code sha256sum} format
 * ({@code <hex>  <file name>} per line) so that {@code sha256sum -c} can check a local copy.
 * Digests are computed by reading the files back, so they describe what is stored.
 */
final class Checksums {
  static final String FILE = RegistryLayout.CHECKSUMS_FILE;

  private Checksums() {}

  /** Hashes {@code names} in {@code dir} and writes the checksum file next to them. */
  static void write(FileSystem fs, Path dir, List<String> names) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String name : names) {
      sb.append(sha256(fs, new Path(dir, name))).append("  ").append(name).append('\n');
    }
    try (OutputStream out = fs.create(new Path(dir, FILE), false)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Fails with {@link RegistryCorruptedException} unless every file in {@code required} is
   * listed and every listed file matches its digest; returns the listing (name -> hex digest).
   */
  static Map<String, String> verify(FileSystem fs, Path dir, List<String> required)
      throws IOException {
    Map<String, String> expected = listing(fs, dir);
    Path file = new Path(dir, FILE);
    for (String name : required) {
      if (!expected.containsKey(name)) {
        throw new RegistryCorruptedException(file + " does not list " + name);
      }
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path p = new Path(dir, e.getKey());
      if (!fs.exists(p)) {
        throw new RegistryCorruptedException(p + " is missing (listed in " + FILE + ")");
      }
      String actual = sha256(fs, p);
      if (!actual.equals(e.getValue())) {
        throw new RegistryCorruptedException("checksum mismatch for " + p + ": expected SHA-256 "
            + e.getValue() + ", found " + actual + "; the file is corrupted or was modified");
      }
    }
    return expected;
  }

  /**
   * Fails with {@link RegistryCorruptedException} unless {@code bytes}, read from {@code name}
   * in {@code dir}, are listed with this digest. Checks the bytes the caller will use, not a
   * second read of the file.
   */
  static void verifyBytes(FileSystem fs, Path dir, String name, byte[] bytes)
      throws IOException {
    String expected = listing(fs, dir).get(name);
    if (expected == null) {
      throw new RegistryCorruptedException(new Path(dir, FILE) + " does not list " + name);
    }
    String actual = hex(digest().digest(bytes));
    if (!actual.equals(expected)) {
      throw new RegistryCorruptedException("checksum mismatch for " + new Path(dir, name)
          + ": expected SHA-256 " + expected + ", found " + actual
          + "; the file is corrupted or was modified");
    }
  }

  /** The recorded digests, name -> hex; fails when the version has no checksum file. */
  static Map<String, String> listing(FileSystem fs, Path dir) throws IOException {
    Path file = new Path(dir, FILE);
    if (!fs.exists(file)) {
      throw new RegistryCorruptedException(dir + ": no " + FILE + "; not a complete version");
    }
    return read(fs, file);
  }

  private static Map<String, String> read(FileSystem fs, Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        int sep = line.indexOf("  ");
        if (sep != 64 || line.substring(sep + 2).contains("/")) {
          throw new RegistryCorruptedException(file + " line " + n + ": expected '<sha256>  "
              + "<file>', got '" + line + "'");
        }
        out.put(line.substring(sep + 2), line.substring(0, sep));
      }
    }
    return out;
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JVM without SHA-256", e);
    }
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static String sha256(FileSystem fs, Path p) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = fs.open(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return hex(md.digest());
  }
}
