package io.tracecast.evaluation.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Numbers for people (Markdown and HTML tables): a few significant digits, Locale.ROOT so a
 * German build machine does not write 0,123. Machine formats (CSV, JSON) keep full precision.
 */
final class SignificantDigits {

  /** Shown for NaN: a metric that does not apply or could not be computed. */
  static final String MISSING = "–";

  private static final int DIGITS = 3;

  private SignificantDigits() {}

  static String format(double value) {
    return format(value, DIGITS);
  }

  static String format(double value, int digits) {
    if (Double.isNaN(value)) {
      return MISSING;
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "∞" : "-∞";
    }
    if (value == 0) {
      return "0";
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 1e6 || magnitude < 1e-4) {
      // plain notation would be a row of zeros that hides the digits that matter
      return String.format(Locale.ROOT, "%." + (digits - 1) + "e", value);
    }
    return new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN))
        .stripTrailingZeros().toPlainString();
  }

  /** A fraction as a percentage, e.g. 0.0423 -> "4.23". */
  static String percent(double fraction) {
    return format(100 * fraction);
  }
}
