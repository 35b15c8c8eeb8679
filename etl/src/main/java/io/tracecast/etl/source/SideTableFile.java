package io.tracecast.etl.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a small comma-separated side table that the driver loads before the ETL starts (the
 * Azure {@code vmtable}, an Alibaba machine grouping): plain or .gz, on any Hadoop filesystem,
 * blank lines skipped. Unlike trace files a side table is all or nothing: a bad line is an error
 * naming the table, the file and the line, not a quarantine record.
 */
final class SideTableFile {
  /** What to do with one non-blank line, already split. */
  @FunctionalInterface
  interface LineHandler {
    void accept(long lineNumber, DelimitedLine fields, String line);
  }

  private SideTableFile() {}

  /** Calls {@code handler} for every non-blank line; {@code table} names it in errors. */
  static void read(String table, String file, Configuration conf, LineHandler handler) {
    Path path = new Path(file);
    try (InputStream raw = path.getFileSystem(conf).open(path);
        BufferedReader lines = new BufferedReader(new InputStreamReader(
            file.endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
      DelimitedLine fields = new DelimitedLine(',');
      String line;
      long lineNumber = 0;
      while ((line = lines.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        fields.split(line);
        handler.accept(lineNumber, fields, line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(table + ": cannot read " + file + ": " + e, e);
    }
  }
}
