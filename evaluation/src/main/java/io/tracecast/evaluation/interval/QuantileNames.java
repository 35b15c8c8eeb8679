package io.tracecast.evaluation.interval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How an interval's bounds are named wherever they are shown or served: as the quantiles they
 * estimate, {@code p10} and {@code p90} for the 80 % interval ({@code p2.5} for a 0.025 bound),
 * the names capacity planners and Amazon Forecast use.
 */
public final class QuantileNames {
  private QuantileNames() {}

  /** {@code p10} for 0.1, {@code p2.5} for 0.025 (rounded to 1e-4 of a percent). */
  public static String of(double quantile) {
    return "p" + new BigDecimal(quantile * 100).setScale(4, RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
  }

  /** The lower bound of the central interval of {@code level}: {@code p10} for 0.8. */
  public static String lower(double level) {
    return of((1 - level) / 2);
  }

  /** The upper bound of the central interval of {@code level}: {@code p90} for 0.8. */
  public static String upper(double level) {
    return of((1 + level) / 2);
  }
}
