package io.tracecast.etl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Small real inputs for the stage tests: the head of a bundled trace file. */
public final class TraceCuts {
  private TraceCuts() {}

  /** Copies the header and the first {@code rows} data lines of a gzipped trace file. */
  public static void cutGzip(Path from, Path to, int rows) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(from)), StandardCharsets.UTF_8));
        OutputStream os = new GZIPOutputStream(Files.newOutputStream(to));
        Writer w = new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8)) {
      String line;
      for (int i = 0; i <= rows && (line = r.readLine()) != null; i++) {
        w.write(line);
        w.write('\n');
      }
    }
  }
}
