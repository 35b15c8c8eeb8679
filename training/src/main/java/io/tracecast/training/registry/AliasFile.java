package io.tracecast.training.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.FileReplace;
import io.tracecast.common.PausePoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A job's aliases ({@code champion} -> model + version) in {@code <job>/_aliases.json}. Updates
 * write a hidden temporary file and rename it over the old one with an atomic replace
 * ({@link FileReplace}), so readers see the old table or the new one, never a partial file. Two
 * concurrent writers both succeed; the last rename wins, which is fine for a pointer that a
 * single evaluation run sets. A kill leaves at most a hidden temporary file, which nothing reads.
 */
final class AliasFile {
  static final String FILE = RegistryLayout.ALIASES_FILE;
  private static final TypeReference<TreeMap<String, Target>> TYPE = new TypeReference<>() {};

  /** What an alias points at. */
  record Target(String model, int version) {}

  private AliasFile() {}

  static Map<String, Target> read(FileSystem fs, Path jobDir, ObjectMapper json)
      throws IOException {
    Path file = new Path(jobDir, FILE);
    if (!fs.exists(file)) {
      return Map.of();
    }
    try (InputStream in = fs.open(file)) {
      return json.readValue(in, TYPE);
    }
  }

  static void write(FileSystem fs, FileContext fc, Path jobDir, Map<String, Target> aliases,
      ObjectMapper json) throws IOException {
    Path tmp = new Path(jobDir, "." + FILE + ".tmp-" + UUID.randomUUID());
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        json.writerWithDefaultPrettyPrinter().writeValue(out, new TreeMap<>(aliases));
      }
      PausePoint.reach("alias.written");
      FileReplace.replace(fs, fc, tmp, new Path(jobDir, FILE));
    } finally {
      fs.delete(tmp, false);
    }
  }
}
