package io.tracecast.etl.quarantine;

/** Thrown by a parser for one bad row; the reader turns it into a {@link QuarantineRecord}. */
public final class RowRejectedException extends Exception {
  private final Reason reason;

  public RowRejectedException(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
