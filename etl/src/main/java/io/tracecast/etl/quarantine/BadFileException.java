package io.tracecast.etl.quarantine;

/** A whole input file cannot be used; the message names the file and what is wrong. */
public final class BadFileException extends RuntimeException {
  private final Reason reason;
  private final String file;

  public BadFileException(String file, Reason reason, String detail, Throwable cause) {
    super(file + ": " + reason + ": " + detail, cause);
    this.reason = reason;
    this.file = file;
  }

  public Reason reason() {
    return reason;
  }

  public String file() {
    return file;
  }
}
