package io.tracecast.etl.source;

import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.QuarantineRecord;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one input file of a {@link TraceFormat} into canonical series chunks and quarantine
 * records. Works on any Hadoop filesystem; gzip is recognised by its magic bytes, not its name.
 * Row-level checks that hold for every format (line shape, plausibility, time range) live here
 * so that formats only parse.
 */
public final class TraceFileReader implements java.io.Serializable {
  /**
   * Rejections that say "this line is not of this format", as opposed to "this value is bad".
   * Control characters are among them: a file whose lines all hold some is binary, not a trace.
   */
  private static final Set<Reason> STRUCTURAL = EnumSet.of(
      Reason.WRONG_FIELD_COUNT, Reason.MALFORMED_JSON, Reason.UNPARSABLE_TIMESTAMP,
      Reason.HEADER_IN_BODY, Reason.CONTROL_CHARACTERS);
  /** This many structural rejections before any accepted row mark the file as the wrong format. */
  static final int WRONG_FORMAT_PROBE_LINES = 20;
  private static final String BYTE_ORDER_MARK = "\uFEFF";

  private final TraceFormat format;
  private final SourceContext context;
  private final RowLimits limits;

  public TraceFileReader(TraceFormat format, SourceContext context, RowLimits limits) {
    this.format = format;
    this.context = context;
    this.limits = limits;
  }

  /** Reads the file, or throws {@link BadFileException} when it cannot be used as a whole. */
  public FileParse read(String file, Configuration hadoopConf) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (InputStream raw = fs.open(path)) {
        return read(file, raw);
      }
    } catch (BadFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BadFileException(file, Reason.UNREADABLE_FILE, describe(e), e);
    }
  }

  /**
   * Reads from an already open stream (plain or gzip). A stream that fails while being read (a
   * truncated or corrupt gzip, an I/O error) makes the file {@link Reason#UNREADABLE_FILE}: rows
   * parsed before the failure are not returned, as the file cannot be read as a whole.
   */
  public FileParse read(String file, InputStream raw) throws IOException {
    try {
      PushbackInputStream in = new PushbackInputStream(raw, 2);
      int b1 = in.read();
      int b2 = in.read();
      if (b1 < 0) {
        throw new BadFileException(file, Reason.EMPTY_FILE, "file has no bytes", null);
      }
      if (b2 >= 0) {
        in.unread(b2);
      }
      in.unread(b1);
      boolean gzip = b1 == 0x1f && b2 == 0x8b;
      InputStream decoded = gzip ? new GZIPInputStream(in, 1 << 16) : in;
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(decoded, StandardCharsets.UTF_8), 1 << 16)) {
        return parseLines(file, lines);
      }
    } catch (IOException e) {
      throw new BadFileException(file, Reason.UNREADABLE_FILE, describe(e), e);
    }
  }

  private FileParse parseLines(String file, BufferedReader lines) throws IOException {
    RowParser parser = format.newParser(file, context);
    Collector sink = new Collector();
    List<QuarantineRecord> quarantined = new ArrayList<>();
    long lineNumber = 0;
    long rowsRead = 0;
    int structuralBeforeFirstAccept = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith(BYTE_ORDER_MARK)) {
        // Windows tools start UTF-8 text with one; it belongs to the file, not the header
        line = line.substring(1);
      }
      long acceptedBefore = sink.accepted;
      try {
        checkShape(line);
        parser.parse(lineNumber, line, sink);
        if (sink.accepted > acceptedBefore) {
          rowsRead++;
        }
      } catch (RowRejectedException e) {
        rowsRead++;
        quarantined.add(new QuarantineRecord(file, lineNumber, line, e.reason(), e.getMessage()));
        if (sink.accepted == 0 && STRUCTURAL.contains(e.reason())
            && ++structuralBeforeFirstAccept >= WRONG_FORMAT_PROBE_LINES) {
          throw wrongFormat(file, quarantined);
        }
      }
    }
    if (sink.accepted == 0) {
      // blank lines are neither rows nor evidence of another format
      long blank = quarantined.stream().filter(q -> q.reason() == Reason.BLANK_LINE).count();
      if (blank == quarantined.size()) {
        throw new BadFileException(file, Reason.EMPTY_FILE,
            "no data rows" + (blank > 0 ? " (" + blank + " blank lines)" : ""), null);
      }
      if (structuralBeforeFirstAccept == quarantined.size() - blank) {
        throw wrongFormat(file, quarantined);
      }
    }
    return new FileParse(file, rowsRead, sink.accepted, sink.chunks(), quarantined, sink.notes,
        null, null);
  }

  private BadFileException wrongFormat(String file, List<QuarantineRecord> quarantined) {
    QuarantineRecord first = quarantined.stream().filter(q -> q.reason() != Reason.BLANK_LINE)
        .findFirst().orElseThrow();
    return new BadFileException(file, Reason.WRONG_FORMAT, "not a " + format.name()
        + " file: line " + first.line() + ": " + first.reason() + ": " + first.detail(), null);
  }

  private void checkShape(String line) throws RowRejectedException {
    if (line.length() > limits.maxLineChars()) {
      throw new RowRejectedException(Reason.LINE_TOO_LONG,
          line.length() + " characters, limit " + limits.maxLineChars());
    }
    boolean blank = true;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\r') {
        throw new RowRejectedException(Reason.CONTROL_CHARACTERS,
            String.format("control character U+%04X at column %d", (int) c, i + 1));
      }
      if (c == '\uFFFD') {
        throw new RowRejectedException(Reason.CONTROL_CHARACTERS,
            "bytes that are not UTF-8 at column " + (i + 1));
      }
      blank &= c == ' ' || c == '\t' || c == '\r';
    }
    if (blank) {
      throw new RowRejectedException(Reason.BLANK_LINE, "blank line");
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Validates canonical rows and groups them per series. */
  private final class Collector implements RowSink {
    private final Map<SeriesChunk.SeriesKey, SeriesChunk.Builder> series = new LinkedHashMap<>();
    private final Map<String, Long> notes = new HashMap<>();
    private final List<Metric> metrics = format.metrics();
    private long accepted;

    @Override
    public void accept(String jobId, String seriesId, long timestampMicros, double[] values)
        throws RowRejectedException {
      if (timestampMicros < limits.minTimeMicros() || timestampMicros >= limits.maxTimeMicros()) {
        throw new RowRejectedException(Reason.TIMESTAMP_OUT_OF_RANGE,
            "time " + timestampMicros + " µs since the epoch is outside the accepted range");
      }
      for (int m = 0; m < values.length; m++) {
        double v = values[m];
        if (v < 0) {
          throw new RowRejectedException(
              Reason.NEGATIVE_USAGE, metrics.get(m).column() + " is negative (" + v + ")");
        }
        if (metrics.get(m).isFraction() && v > limits.maxFraction()) {
          throw new RowRejectedException(Reason.ABOVE_CAPACITY, metrics.get(m).column() + " is "
              + v + " of capacity, limit " + limits.maxFraction());
        }
      }
      boolean anyTarget = false;
      for (int t : limits.targetIndexes()) {
        anyTarget |= !Double.isNaN(values[t]);
      }
      if (!anyTarget) {
        throw new RowRejectedException(Reason.MISSING_TARGET, "no target metric has a value");
      }
      series.computeIfAbsent(new SeriesChunk.SeriesKey(jobId, seriesId),
              k -> new SeriesChunk.Builder(jobId, seriesId, values.length))
          .add(timestampMicros, values);
      accepted++;
    }

    @Override
    public void note(String counter) {
      notes.merge(counter, 1L, Long::sum);
    }

    List<SeriesChunk> chunks() {
      return series.values().stream().map(SeriesChunk.Builder::build).toList();
    }
  }
}
