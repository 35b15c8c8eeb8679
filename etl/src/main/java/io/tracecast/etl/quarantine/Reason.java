package io.tracecast.etl.quarantine;

/** Why a row or a file was rejected. Codes are stable: they are written to the quarantine table. */
public enum Reason {
  // row level: quarantined, the job goes on
  WRONG_FIELD_COUNT,
  UNPARSABLE_NUMBER,
  NAN_VALUE,
  INFINITE_VALUE,
  NEGATIVE_USAGE,
  ABOVE_CAPACITY,
  INVALID_CAPACITY,
  MISSING_TIMESTAMP,
  UNPARSABLE_TIMESTAMP,
  TIMESTAMP_OUT_OF_RANGE,
  MISSING_SERIES_ID,
  MISSING_TARGET,
  MIN_ABOVE_MAX,
  END_BEFORE_START,
  MALFORMED_JSON,
  MISSING_FIELD,
  HEADER_IN_BODY,
  BLANK_LINE,
  LINE_TOO_LONG,
  CONTROL_CHARACTERS,
  // file level: fail fast unless skipping is allowed, then counted
  EMPTY_FILE,
  UNREADABLE_FILE,
  WRONG_FORMAT;

  public boolean isFileLevel() {
    return this == EMPTY_FILE || this == UNREADABLE_FILE || this == WRONG_FORMAT;
  }
}
