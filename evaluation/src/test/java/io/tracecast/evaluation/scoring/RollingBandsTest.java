package io.tracecast.evaluation.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.SparkTestSession;
import io.tracecast.evaluation.interval.IntervalCalibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.junit.jupiter.api.Test;

/** Rolling conformal bands: what they adapt to, and what they may not look at. */
class RollingBandsTest {
  private static final long STEP_SECONDS = 300;
  private static final long STEP_MILLIS = STEP_SECONDS * 1000;

  private static ForecastRow row(String series, String split, int step, long targetIndex,
      double residual) {
    return new ForecastRow("j", series, split, "cpu", step, targetIndex * STEP_MILLIS, "m", 1,
        "NETWORK", 100 + residual, 100, null, 100);
  }

  private static IntervalCalibration rolling(int window) {
    return new IntervalCalibration(IntervalCalibration.Mode.ROLLING, window, 0);
  }

  private static Dataset<ForecastRow> dataset(List<ForecastRow> rows) {
    return SparkTestSession.get().createDataset(rows, ForecastTable.ENCODER);
  }

  /**
   * The stream's error scale doubles half-way through the test split (Gaussian residuals, sd 1
   * on validation and the first half of test, sd 2 after). The split band, fitted on validation,
   * covers the second half as a band of +-1.28 sd would cover +-0.64 sd: 2 Phi(0.64) - 1 = 47.8
   * %. The rolling band of the last 200 residuals recovers: past the changeover (the first 200
   * residuals of the new scale, plus the step's lag) it covers within sampling error of 80 %.
   * Both coverages are also counted here from scratch, the rolling one by a naive per-forecast
   * re-sort of every residual observed by the forecast's origin.
   */
  @Test
  void rollingBandsKeepTheirCoverageWhenTheErrorScaleDoublesWhereSplitBandsUnderCover() {
    int step = 3;
    int window = 200;
    int validation = 1000;
    int half = 4000;
    Random rnd = new Random(42);
    List<ForecastRow> rows = new ArrayList<>();
    for (int t = 0; t < validation + 2 * half; t++) {
      double sd = t < validation + half ? 1 : 2;
      rows.add(row("s", t < validation ? "validation" : "test", step, t + step,
          sd * rnd.nextGaussian()));
    }
    Dataset<ForecastRow> ds = dataset(rows);
    ConformalBands split = ConformalBands.calibrate(ds, new double[] {0.8});
    List<ForecastRow> rolled = sortedByTime(RollingBands.attach(ds, split, rolling(window), STEP_SECONDS));
    List<ForecastRow> fixed = sortedByTime(split.attach(ds));

    int settled = validation + half + window + step;
    double splitCover = coverage(fixed, validation + half, rows.size());
    double rollingCover = coverage(rolled, settled, rows.size());
    int n = rows.size() - settled;
    double se = Math.sqrt(0.8 * 0.2 / n);
    // the split offsets' own sampling error (1000 validation points) moves this by about 0.02,
    // the 4000 test points by 0.008
    assertEquals(0.478, splitCover, 0.05, "split under-covers");
    // conformal coverage of an exchangeable window lies in [0.8, 0.8 + 2/(window + 1)]
    assertTrue(rollingCover > 0.8 - 3 * se && rollingCover < 0.81 + 3 * se,
        "rolling coverage " + rollingCover + " over " + n + " points");

    double[] residuals = rows.stream().mapToDouble(r -> r.getActual() - r.getPoint()).toArray();
    double[] splitOffsets = ranks(Arrays.copyOf(residuals, validation), 0.8);
    for (int i = 0; i < rows.size(); i++) {
      // residual i's target is t = i + step, its origin i: residuals 0..i - step are observed
      int known = i - step + 1;
      double[] o = known >= window
          ? ranks(Arrays.copyOfRange(residuals, known - window, known), 0.8) : splitOffsets;
      assertArrayEquals(new double[] {100 + o[0], 100 + o[1]}, rolled.get(i).getIntervals(),
          1e-12, "forecast " + i);
    }
    assertEquals(coverageByHand(residuals, validation + half, splitOffsets), splitCover, 1e-12);
  }

  /**
   * Validation residuals are +-1, test residuals +-100. A forecast 2 steps ahead whose target is
   * the first or second test point has its origin before any test target, so its band is the
   * validation residuals' however the window slides; the third sees the first test residual.
   * Had the band looked at a residual whose target lies after the origin (its own, or its
   * neighbour's: two series share the times), its upper bound would be the forecast + 100.
   */
  @Test
  void noForecastIsCalibratedOnAResidualItsOriginHasNotObserved() {
    int step = 2;
    int window = 9;
    List<ForecastRow> rows = new ArrayList<>();
    for (int t = 0; t < 30; t++) {
      for (String series : List.of("a", "b")) {
        rows.add(row(series, "validation", step, t, t % 2 == 0 ? 1 : -1));
      }
    }
    for (int t = 30; t < 40; t++) {
      for (String series : List.of("a", "b")) {
        rows.add(row(series, "test", step, t, series.equals("a") ? 100 : -100));
      }
    }
    Dataset<ForecastRow> ds = dataset(rows);
    ConformalBands split = ConformalBands.calibrate(ds, new double[] {0.8});
    Map<String, ForecastRow> rolled = RollingBands.attach(ds, split, rolling(window), STEP_SECONDS)
        .collectAsList().stream().collect(Collectors.toMap(
            r -> r.getSeriesId() + (r.getTargetTime().getTime() / STEP_MILLIS),
            Function.identity()));
    for (String series : List.of("a", "b")) {
      // targets 30 and 31: origins 28 and 29, every observed residual is +-1
      assertArrayEquals(new double[] {99, 101}, rolled.get(series + 30).getIntervals(), 0.0);
      assertArrayEquals(new double[] {99, 101}, rolled.get(series + 31).getIntervals(), 0.0);
      // target 32: origin 30, whose two test residuals (+100 from a, -100 from b) are observed
      // and now the window's two most recent: its extreme ranks of 9 residuals
      assertArrayEquals(new double[] {0, 200}, rolled.get(series + 32).getIntervals(), 0.0);
    }
    // before 9 residuals are observed (targets 0..4 at origins -2..2 see at most 6), the
    // validation band: 60 residuals +-1, ranks floor(61 x 0.1) = 6 and ceil(61 x 0.9) = 55
    assertArrayEquals(new double[] {99, 101}, rolled.get("a0").getIntervals(), 0.0);
    assertArrayEquals(split.bounds(rolled.get("b4")), rolled.get("b4").getIntervals(), 0.0);
  }

  /**
   * What a version serves the future with: the band of the last {@code window} residuals at the
   * end of the data (ordered by target time, then series), computed here from scratch; the
   * window capped at the key's validation residuals.
   */
  @Test
  void servedBandsAreThoseOfTheLastWindowResiduals() {
    int window = 19;
    Random rnd = new Random(3);
    List<ForecastRow> rows = new ArrayList<>();
    TreeMap<Long, Double> byOrder = new TreeMap<>();
    for (int t = 0; t < 60; t++) {
      for (int s = 0; s < 2; s++) {
        double r = (t < 30 ? 1 : 5) * rnd.nextGaussian();
        ForecastRow f = row("s" + s, t < 30 ? "validation" : "test", 1, t, r);
        rows.add(f);
        byOrder.put(2L * t + s, f.getActual() - f.getPoint());
      }
    }
    ConformalBands split = ConformalBands.calibrate(dataset(rows), new double[] {0.8, 0.9});
    ConformalBands served = RollingBands.served(dataset(rows), split, rolling(window), STEP_SECONDS);
    double[] last = byOrder.descendingMap().values().stream().limit(window)
        .mapToDouble(Double::doubleValue).toArray();
    double[] expected = new double[4];
    System.arraycopy(ranks(last, 0.8), 0, expected, 0, 2);
    System.arraycopy(ranks(last, 0.9), 0, expected, 2, 2);
    assertArrayEquals(expected, served.offsets("j", "m", 1, 1, "cpu"), 0.0);
    // a window longer than the validation split (60 residuals) is capped at it: the band of
    // the last 60 residuals, all of them test ones here, not the split band's validation ones
    double[] last60 = byOrder.descendingMap().values().stream().limit(60)
        .mapToDouble(Double::doubleValue).toArray();
    double[] capped = new double[4];
    System.arraycopy(ranks(last60, 0.8), 0, capped, 0, 2);
    System.arraycopy(ranks(last60, 0.9), 0, capped, 2, 2);
    assertArrayEquals(capped, RollingBands.served(dataset(rows), split, rolling(500),
        STEP_SECONDS).offsets("j", "m", 1, 1, "cpu"), 0.0);
  }

  private static List<ForecastRow> sortedByTime(Dataset<ForecastRow> ds) {
    List<ForecastRow> out = new ArrayList<>(ds.collectAsList());
    out.sort(Comparator.comparing(ForecastRow::getTargetTime));
    return out;
  }

  /** Share of rows {@code from..to-1} whose actual lies inside their 80 % bounds. */
  private static double coverage(List<ForecastRow> rows, int from, int to) {
    int in = 0;
    for (int i = from; i < to; i++) {
      double[] b = rows.get(i).getIntervals();
      assertNotNull(b, "row " + i);
      double y = rows.get(i).getActual();
      in += y >= b[0] && y <= b[1] ? 1 : 0;
    }
    return (double) in / (to - from);
  }

  private static double coverageByHand(double[] residuals, int from, double[] o) {
    int in = 0;
    for (int i = from; i < residuals.length; i++) {
      in += residuals[i] >= o[0] && residuals[i] <= o[1] ? 1 : 0;
    }
    return (double) in / (residuals.length - from);
  }

  /** The conformal ranks floor((n + 1) a/2) and ceil((n + 1)(1 - a/2)) of a sorted copy. */
  private static double[] ranks(double[] residuals, double level) {
    double[] r = residuals.clone();
    Arrays.sort(r);
    int n = r.length;
    double tail = (1 - level) / 2;
    int lo = (int) Math.floor((n + 1) * tail + 1e-9);
    int hi = (int) Math.ceil((n + 1) * (1 - tail) - 1e-9);
    return new double[] {r[lo - 1], r[hi - 1]};
  }
}
