package io.tracecast.cli;

/** Turns a failure into the one line a user needs, without Spark's wrapping layers. */
final class ErrorMessages {
  private ErrorMessages() {}

  static String describe(Throwable e) {
    Throwable t = e;
    // Spark wraps task failures; the innermost cause says what went wrong with which file.
    while (t.getCause() != null && t.getCause() != t
        && (t instanceof org.apache.spark.SparkException || t.getMessage() == null)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
  }
}
