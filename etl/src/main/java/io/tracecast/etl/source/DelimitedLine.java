package io.tracecast.etl.source;

import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.util.Arrays;

/**
 * A line split on a single character, with typed field access that rejects the row with the
 * right reason code. Reused across lines of a file to keep parsing allocation-light.
 */
public final class DelimitedLine {
  private final char separator;
  private String[] fields = new String[32];
  private int count;

  public DelimitedLine(char separator) {
    this.separator = separator;
  }

  /** Splits {@code line}; fields are trimmed of spaces and tabs. */
  public DelimitedLine split(String line) {
    count = 0;
    int start = 0;
    int length = line.length();
    for (int i = 0; i <= length; i++) {
      if (i == length || line.charAt(i) == separator) {
        if (count == fields.length) {
          fields = Arrays.copyOf(fields, count * 2);
        }
        fields[count++] = trim(line, start, i);
        start = i + 1;
      }
    }
    return this;
  }

  private static String trim(String line, int from, int to) {
    while (from < to && isBlank(line.charAt(from))) {
      from++;
    }
    while (to > from && isBlank(line.charAt(to - 1))) {
      to--;
    }
    return line.substring(from, to);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  public int size() {
    return count;
  }

  public String field(int index) {
    return fields[index];
  }

  public void requireFields(int expected) throws RowRejectedException {
    if (count != expected) {
      throw new RowRejectedException(
          Reason.WRONG_FIELD_COUNT, count + " fields, expected " + expected);
    }
  }

  /** A required number: empty, unparsable, NaN and infinite values reject the row. */
  public double number(int index, String name) throws RowRejectedException {
    String text = fields[index];
    if (text.isEmpty()) {
      throw new RowRejectedException(Reason.MISSING_FIELD, name + " is empty");
    }
    return finite(parse(text, name), name);
  }

  /** An optional number: empty gives NaN (missing); anything else must parse and be finite. */
  public double optionalNumber(int index, String name) throws RowRejectedException {
    String text = fields[index];
    return text.isEmpty() ? Double.NaN : finite(parse(text, name), name);
  }

  /** A required integral time value, in the trace's own unit. */
  public long time(int index, String name) throws RowRejectedException {
    String text = fields[index];
    if (text.isEmpty()) {
      throw new RowRejectedException(Reason.MISSING_TIMESTAMP, name + " is empty");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      try {
        double value = Double.parseDouble(text);
        if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 9.0e15) {
          return (long) value;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the rejection below
      }
      throw new RowRejectedException(
          Reason.UNPARSABLE_TIMESTAMP, name + " '" + text + "' is not an integer time");
    }
  }

  /**
   * {@code originMicros + time * microsPerUnit} as UTC microseconds; a time so far off that
   * this overflows a long is out of range, a rejected row rather than a failed file.
   */
  public static long micros(long originMicros, long time, long microsPerUnit, String name)
      throws RowRejectedException {
    try {
      return Math.addExact(originMicros, Math.multiplyExact(time, microsPerUnit));
    } catch (ArithmeticException e) {
      throw new RowRejectedException(Reason.TIMESTAMP_OUT_OF_RANGE,
          name + " " + time + " overflows microseconds since the epoch");
    }
  }

  public String id(int index, String name) throws RowRejectedException {
    String text = fields[index];
    if (text.isEmpty()) {
      throw new RowRejectedException(Reason.MISSING_SERIES_ID, name + " is empty");
    }
    return text;
  }

  static double parse(String text, String name) throws RowRejectedException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new RowRejectedException(
          Reason.UNPARSABLE_NUMBER, name + " '" + text + "' is not a number");
    }
  }

  static double finite(double value, String name) throws RowRejectedException {
    if (Double.isNaN(value)) {
      throw new RowRejectedException(Reason.NAN_VALUE, name + " is NaN");
    }
    if (Double.isInfinite(value)) {
      throw new RowRejectedException(Reason.INFINITE_VALUE, name + " is infinite");
    }
    return value;
  }
}
