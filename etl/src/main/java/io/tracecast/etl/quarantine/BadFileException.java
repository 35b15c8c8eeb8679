package io.tracecast.etl.quarantine;

/**
 * A whole input file cannot be used; the message is {@code <file>: <reason>: <detail>}. Code that
 * passes the problem on (a skipped file in the manifest, the driver's failure) takes
 * {@link #detail()}, so the file and reason are said once.
 */
public final class BadFileException extends RuntimeException {
  private final Reason reason;
  private final String file;
  private final String detail;

  public BadFileException(String file, Reason reason, String detail, Throwable cause) {
    super(file + ": " + reason + ": " + detail, cause);
    this.reason = reason;
    this.file = file;
    this.detail = detail;
  }

  /** What is wrong, without the file and reason. */
  public String detail() {
    return detail;
  }

  public Reason reason() {
    return reason;
  }

  public String file() {
    return file;
  }
}
