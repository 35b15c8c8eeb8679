package io.tracecast.evaluation.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.provisioning.ProvisioningSimulator;
import io.tracecast.evaluation.provisioning.ProvisioningTally;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Per-series error sums merged into one score must equal the metrics computed in one pass over
 * the concatenated series: two real Bitbrains CPU series (fractions), forecast by persistence,
 * with a hand-made 10/50/90% band around it.
 */
class ErrorSumsTest {
  private static final double[] LEVELS = {0.1, 0.5, 0.9};
  private static final double MAPE_FLOOR = 0.001;

  /** CPU usage [%] / 100 of rows [skip, skip + n) of a bundled Bitbrains VM. */
  private static double[] cpu(String vm, int skip, int n) throws IOException {
    Path file = Path.of(System.getProperty("tracecast.root", ".."), "data", "samples",
        "bitbrains", "2013-7", vm + ".csv.gz");
    double[] out = new double[n];
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      r.readLine();
      for (int i = 0; i < skip; i++) {
        r.readLine();
      }
      for (int i = 0; i < n; i++) {
        out[i] = Double.parseDouble(r.readLine().split(";")[4].trim()) / 100.0;
      }
    }
    return out;
  }

  /** Persistence forecasts of a[1..]: a[t - 1]. */
  private static double[] persistence(double[] series) {
    return Arrays.copyOfRange(series, 0, series.length - 1);
  }

  private static double[] actual(double[] series) {
    return Arrays.copyOfRange(series, 1, series.length);
  }

  /** A band that is not symmetric, so pinball losses differ per level. */
  private static double[][] band(double[] point) {
    double[][] q = new double[point.length][];
    for (int i = 0; i < point.length; i++) {
      q[i] = new double[] {point[i] * 0.8 - 0.002, point[i], point[i] * 1.3 + 0.004};
    }
    return q;
  }

  private static ErrorSums sums(double[] actual, double[] point, double[][] quantiles,
      double[] basis, ProvisioningSettings p) {
    ErrorSums s = new ErrorSums(MAPE_FLOOR, quantiles == null ? new double[0] : LEVELS);
    for (int i = 0; i < actual.length; i++) {
      s.add(actual[i], point[i], quantiles == null ? null : quantiles[i],
          p.withHeadroomApplied(basis[i]));
    }
    return s;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void assertRelative(double expected, double actual, String what) {
    double tolerance = 1e-9 * Math.max(1e-12, Math.abs(expected));
    assertEquals(expected, actual, tolerance, what);
  }

  @Test
  void mergedSeriesSumsEqualOnePassMetricsOverTheConcatenatedSeries() throws IOException {
    double[] vm1 = cpu("1", 0, 400);
    double[] vm2 = cpu("2", 100, 250);
    double[] y1 = actual(vm1);
    double[] y2 = actual(vm2);
    double[] p1 = persistence(vm1);
    double[] p2 = persistence(vm2);
    double[][] q1 = band(p1);
    double[][] q2 = band(p2);
    ProvisioningSettings settings = ProvisioningSettings.defaults();
    double[] basis1 = Arrays.stream(q1).mapToDouble(q -> q[2]).toArray();
    double[] basis2 = Arrays.stream(q2).mapToDouble(q -> q[2]).toArray();

    ErrorSums merged = sums(y1, p1, q1, basis1, settings)
        .merge(sums(y2, p2, q2, basis2, settings));

    double[] y = concat(y1, y2);
    double[] p = concat(p1, p2);
    double[][] q = new double[y.length][];
    System.arraycopy(q1, 0, q, 0, q1.length);
    System.arraycopy(q2, 0, q, q1.length, q2.length);
    PointMetrics expected = PointMetrics.of(y, p, MAPE_FLOOR);
    PointMetrics got = merged.pointMetrics();
    assertEquals(y.length, merged.count());
    assertEquals(expected.count(), got.count());
    assertRelative(expected.mae(), got.mae(), "mae");
    assertRelative(expected.mse(), got.mse(), "mse");
    assertRelative(expected.rmse(), got.rmse(), "rmse");
    assertEquals(expected.mapeCount(), got.mapeCount());
    assertTrue(got.mapeCount() < y.length, "the sample holds CPU below the MAPE floor");
    assertRelative(expected.mape(), got.mape(), "mape");
    assertRelative(expected.smape(), got.smape(), "smape");
    // R² from running sums (sum of squares about the mean) vs the two-pass computation
    assertEquals(expected.r2(), got.r2(), 1e-9 * Math.max(1, Math.abs(expected.r2())), "r2");

    QuantileMetrics expectedQ = QuantileMetrics.of(LEVELS, y, q);
    QuantileMetrics gotQ = merged.quantileMetrics();
    for (int k = 0; k < LEVELS.length; k++) {
      assertRelative(expectedQ.pinball()[k], gotQ.pinball()[k], "pinball " + LEVELS[k]);
    }
    assertRelative(expectedQ.coverage(), gotQ.coverage(), "coverage");
    assertTrue(gotQ.coverage() > 0 && gotQ.coverage() < 1, "coverage " + gotQ.coverage());
    assertRelative(expectedQ.meanWidth(), gotQ.meanWidth(), "width");

    ProvisioningSimulator sim = new ProvisioningSimulator(settings);
    ProvisioningOutcome expectedP = sim.tally(y1, basis1).merge(sim.tally(y2, basis2)).outcome();
    assertEquals(expectedP, merged.provisioning());
    assertTrue(expectedP.violations() > 0, "persistence-based provisioning misses some steps");
  }

  @Test
  void pointForecastersHaveNoQuantileMetricsAndProvisionFromThePoint() throws IOException {
    double[] vm = cpu("1", 1000, 300);
    double[] y = actual(vm);
    double[] p = persistence(vm);
    ProvisioningSettings settings = ProvisioningSettings.defaults().withHeadroom(0.25);
    ErrorSums s = sums(y, p, null, p, settings);
    assertNull(s.quantileMetrics());
    assertRelative(PointMetrics.of(y, p, MAPE_FLOOR).mae(), s.pointMetrics().mae(), "mae");
    ProvisioningTally expected = new ProvisioningSimulator(settings).tally(y, p);
    assertEquals(expected.outcome(), s.provisioning());
  }

  @Test
  void mergingSumsOfDifferentQuantileLevelsIsRefused() {
    ErrorSums a = new ErrorSums(MAPE_FLOOR, LEVELS).add(0.5, 0.4, new double[] {0.3, 0.4, 0.6},
        0.66);
    ErrorSums b = new ErrorSums(MAPE_FLOOR, new double[] {0.05, 0.5, 0.95});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertTrue(e.getMessage().contains("0.05"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> a.merge(new ErrorSums(MAPE_FLOOR, new double[0])));
    assertEquals(1, a.count(), "a refused merge leaves the sums unchanged");
  }

  @Test
  void quantileForecastsOfTheWrongLengthAreRefused() {
    ErrorSums s = new ErrorSums(MAPE_FLOOR, LEVELS);
    assertThrows(IllegalArgumentException.class,
        () -> s.add(0.5, 0.4, new double[] {0.3, 0.6}, 0.5));
  }
}
