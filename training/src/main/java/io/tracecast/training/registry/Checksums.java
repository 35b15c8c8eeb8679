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
  static final String FILE = "checksums.sha256";

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
   * listed and every listed file matches its digest.
   */
  static void verify(FileSystem fs, Path dir, List<String> required) throws IOException {
    Path file = new Path(dir, FILE);
    if (!fs.exists(file)) {
      throw new RegistryCorruptedException(dir + ": no " + FILE + "; not a complete version");
    }
    Map<String, String> expected = read(fs, file);
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

  static String sha256(FileSystem fs, Path p) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JVM without SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = fs.open(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
