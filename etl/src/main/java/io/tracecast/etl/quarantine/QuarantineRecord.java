package io.tracecast.etl.quarantine;

import java.io.Serializable;
import java.util.Objects;

/**
 * One rejected input row (or, for a skipped file, the file itself with line 0).
 *
 * @param file the input path as given to the reader
 * @param line 1-based line number in the decompressed file; 0 for a whole file
 * @param raw the raw text, cut to {@link #MAX_RAW_CHARS} characters
 */
public record QuarantineRecord(String file, long line, String raw, Reason reason, String detail)
    implements Serializable {
  public static final int MAX_RAW_CHARS = 2000;

  public QuarantineRecord {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
    raw = raw == null ? "" : raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
    detail = detail == null ? "" : detail;
  }
}
