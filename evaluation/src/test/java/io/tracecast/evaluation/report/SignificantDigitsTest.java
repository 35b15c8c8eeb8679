package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SignificantDigitsTest {

  @Test
  void keepsThreeSignificantDigitsWithoutTrailingZeros() {
    assertEquals("0.0213", SignificantDigits.format(0.021349));
    assertEquals("0.03", SignificantDigits.format(0.0300001));
    assertEquals("12.3", SignificantDigits.format(12.34));
    assertEquals("1350", SignificantDigits.format(1346.2));
    assertEquals("-0.5", SignificantDigits.format(-0.5));
    assertEquals("0", SignificantDigits.format(0));
  }

  @Test
  void writesTinyAndHugeValuesInScientificNotation() {
    assertEquals("1.23e-05", SignificantDigits.format(0.0000123456));
    assertEquals("4.57e+07", SignificantDigits.format(45_678_901));
  }

  @Test
  void showsMissingAndInfiniteValuesAsSymbols() {
    assertEquals(SignificantDigits.MISSING, SignificantDigits.format(Double.NaN));
    assertEquals("∞", SignificantDigits.format(Double.POSITIVE_INFINITY));
  }

  @Test
  void ignoresTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("0.123", SignificantDigits.format(0.1234));
      assertEquals("1.23e-05", SignificantDigits.format(0.0000123));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void writesFractionsAsPercentages() {
    assertEquals("4.23", SignificantDigits.percent(0.04231));
  }
}
