package io.tracecast.etl.source;

import io.tracecast.etl.quarantine.RowRejectedException;

/** Parses the lines of one file, in order. Implementations are not thread-safe. */
public interface RowParser {

  /**
   * Parses one non-blank line.
   *
   * @param lineNumber 1-based line number in the decompressed file
   * @throws RowRejectedException for a bad row, which is quarantined with the exception's reason
   * @throws io.tracecast.etl.quarantine.BadFileException when the file is not of this format
   */
  void parse(long lineNumber, String line, RowSink sink) throws RowRejectedException;
}
