package io.tracecast.evaluation.scoring;

import io.tracecast.training.registry.ModelFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.baseline.Baseline;
import io.tracecast.evaluation.baseline.Persistence;
import io.tracecast.evaluation.baseline.SeasonalNaive;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.scoring.BaselineForecaster.BaselineFactory;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * The baselines over one hand-built series of the series table: segment 0 holds 6 train,
 * 2 validation and 2 test points; after a gap, segment 1 holds 6 test points. Rows arrive out
 * of order, as they do from a shuffle.
 */
class BaselineForecasterTest {
  /** The series table's columns as the baseline forecaster reads them (one target, cpu). */
  static final StructType SCHEMA = new StructType()
      .add("job_id", DataTypes.StringType)
      .add("series_id", DataTypes.StringType)
      .add("ts", DataTypes.TimestampType)
      .add("segment", DataTypes.IntegerType)
      .add("split", DataTypes.StringType)
      .add("cpu", DataTypes.DoubleType);
  private static final long STEP_MILLIS = 300_000;
  private static final long GAP_START_MILLIS = 1_700_000_000_000L + 20 * STEP_MILLIS;
  private static final double[] SEG0 = {0.10, 0.30, 0.20, 0.50, 0.40, 0.70, 0.60, 0.90, 0.80, 0.55};
  private static final String[] SPLIT0 = {"train", "train", "train", "train", "train", "train",
      "validation", "validation", "test", "test"};
  private static final double[] SEG1 = {0.33, 0.12, 0.48, 0.27, 0.91, 0.05};

  private static long time(int segment, int t) {
    return segment == 0 ? 1_700_000_000_000L + t * STEP_MILLIS : GAP_START_MILLIS + t * STEP_MILLIS;
  }

  private static List<Row> series() {
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < SEG0.length; t++) {
      rows.add(new GenericRowWithSchema(new Object[] {"2013-7", "12", new Timestamp(time(0, t)),
          0, SPLIT0[t], SEG0[t]}, SCHEMA));
    }
    for (int t = 0; t < SEG1.length; t++) {
      rows.add(new GenericRowWithSchema(new Object[] {"2013-7", "12", new Timestamp(time(1, t)),
          1, "test", SEG1[t]}, SCHEMA));
    }
    Collections.shuffle(rows, new java.util.Random(3));
    return rows;
  }

  private record Fixed(Baseline baseline) implements BaselineFactory {
    @Override
    public String name() {
      return baseline.name();
    }

    @Override
    public Baseline create(double[] trainValues) {
      return baseline;
    }
  }

  /** A fitted baseline under the sanity band, as ARIMA is. */
  private record Guarded(Baseline baseline) implements BaselineFactory {
    @Override
    public String name() {
      return baseline.name();
    }

    @Override
    public Baseline create(double[] trainValues) {
      return baseline;
    }

    @Override
    public boolean guarded() {
      return true;
    }
  }

  /** A diverged model: forecasts 10 x the previous value. */
  private record Diverged() implements Baseline {
    @Override
    public String name() {
      return "arima";
    }

    @Override
    public int minHistory() {
      return 1;
    }

    @Override
    public double forecast(double[] values, int t) {
      return 10 * values[t - 1];
    }
  }

  private static List<ForecastRow> run(Baseline b, int horizon, LongAccumulator fallbacks) {
    return run(new Fixed(b), horizon, fallbacks, new LongAccumulator());
  }

  private static List<ForecastRow> run(BaselineFactory b, int horizon, LongAccumulator fallbacks,
      LongAccumulator guarded) {
    BaselineForecaster f = new BaselineForecaster(List.of(b), List.of("cpu"), horizon,
        ProvisioningSettings.defaults(), fallbacks, guarded);
    List<ForecastRow> out = new ArrayList<>();
    f.call("2013-7\u000012", series().iterator()).forEachRemaining(out::add);
    return out;
  }

  private static List<ForecastRow> beyond(Baseline b, int horizon, LongAccumulator fallbacks) {
    BaselineForecaster f = new BaselineForecaster(List.of(new Fixed(b)), List.of("cpu"), horizon,
        ProvisioningSettings.defaults(), fallbacks, new LongAccumulator())
        .beyondData(STEP_MILLIS);
    List<ForecastRow> out = new ArrayList<>();
    f.call("2013-7\u000012", series().iterator()).forEachRemaining(out::add);
    out.sort(java.util.Comparator.comparingInt(ForecastRow::getStep));
    return out;
  }

  /**
   * Beyond the data: from the last point of the last segment (segment 1's 0.05 at t = 5), one
   * row per step after it, spaced a step apart, with no actual and no reactive policy rows;
   * persistence repeats the last value at every step, seasonal naive (season 4) reads one
   * season back from each target, feeding nothing back while the season reaches the data.
   */
  @Test
  void forecastsTheStepsAfterTheLastPointBeyondTheData() {
    LongAccumulator fallbacks = new LongAccumulator();
    List<ForecastRow> persistence = beyond(new Persistence(), 3, fallbacks);
    assertEquals(3, persistence.size());
    for (int h = 1; h <= 3; h++) {
      ForecastRow r = persistence.get(h - 1);
      assertEquals(h, r.getStep());
      assertEquals(SEG1[5], r.getPoint(), 0.0);
      assertEquals(time(1, 5) + h * STEP_MILLIS, r.getTargetTime().getTime());
      assertTrue(Double.isNaN(r.getActual()), "no actual beyond the data");
      assertEquals("test", r.getSplit());
      assertEquals(ModelFamily.BASELINE.name(), r.getFamily());
    }
    List<ForecastRow> seasonal = beyond(new SeasonalNaive(4), 3, fallbacks);
    assertEquals(List.of(SEG1[2], SEG1[3], SEG1[4]),
        seasonal.stream().map(ForecastRow::getPoint).toList());
    assertEquals(0, fallbacks.value());
    // season 7 > the last segment's 6 points (too little history for any step, as for the
    // data's own points): the last value, counted as a fallback
    List<ForecastRow> tooShort = beyond(new SeasonalNaive(7), 2, fallbacks);
    assertEquals(List.of(SEG1[5], SEG1[5]),
        tooShort.stream().map(ForecastRow::getPoint).toList());
    assertEquals(2, fallbacks.value());
  }

  /** Forecasts of one model and step by target time. */
  private static Map<Long, ForecastRow> byTime(List<ForecastRow> rows, String model, int step) {
    Map<Long, ForecastRow> out = new HashMap<>();
    rows.stream().filter(r -> r.getModel().equals(model) && r.getStep() == step)
        .forEach(r -> assertNull(out.put(r.getTargetTime().getTime(), r), "duplicate " + r));
    return out;
  }

  private static void assertForecast(Map<Long, ForecastRow> rows, long time, double actual,
      double expected, String split) {
    ForecastRow r = rows.get(time);
    assertNotNull(r, "no forecast for " + new Timestamp(time));
    assertEquals(expected, r.getPoint(), 0.0, "forecast for " + new Timestamp(time));
    assertEquals(actual, r.getActual(), 0.0);
    assertEquals(split, r.getSplit());
    assertEquals(ModelFamily.BASELINE.name(), r.getFamily());
    assertEquals(expected * 1.10, r.getProvision(), 1e-12, "10% headroom");
    assertNull(r.getQuantiles());
  }

  @Test
  void fittedForecastsOutsideTheTrainBandFallBackToTheLastValueAndAreCounted() {
    LongAccumulator guarded = new LongAccumulator();
    List<ForecastRow> rows = run(new Guarded(new Diverged()), 1, new LongAccumulator(), guarded);
    Map<Long, ForecastRow> p = byTime(rows, "arima", 1);
    // train values 0.1..0.7: band [0.1 - 0.6, 0.7 + 0.6] = [-0.5, 1.3]; 10 x any value >= 0.13
    // leaves it, so every forecast here but 10 x 0.12 = 1.2 falls back to the last value
    int inBand = 0;
    for (int t = 6; t < SEG0.length; t++) {
      assertForecast(p, time(0, t), SEG0[t], SEG0[t - 1], SPLIT0[t]);
    }
    for (int t = 1; t < SEG1.length; t++) {
      double raw = 10 * SEG1[t - 1];
      boolean kept = raw <= 1.3 + 1e-12;
      inBand += kept ? 1 : 0;
      assertForecast(p, time(1, t), SEG1[t], kept ? raw : SEG1[t - 1], "test");
    }
    assertEquals(1, inBand, "10 x 0.12 = 1.2 stays inside the band");
    assertEquals(p.size() - inBand, guarded.value());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {-0.5, 1.3},
        BaselineForecaster.band(new double[] {0.1, 0.7, Double.NaN}), 1e-12);
  }

  /** Forecasts the previous value minus 0.5: below 0 wherever the series is below 0.5. */
  private record Undershoot() implements Baseline {
    @Override
    public String name() {
      return "undershoot";
    }

    @Override
    public int minHistory() {
      return 1;
    }

    @Override
    public double forecast(double[] values, int t) {
      return values[t - 1] - 0.5;
    }
  }

  @Test
  void forecastsAreClippedToTheTargetsPhysicalRange() {
    BaselineForecaster f = new BaselineForecaster(List.of(new Fixed(new Undershoot())),
        List.of("cpu"), 1, ProvisioningSettings.defaults(), new LongAccumulator(),
        new LongAccumulator(), Map.of("cpu", new io.tracecast.etl.dataset.Manifest.Bounds(0.0,
            null)));
    List<ForecastRow> out = new ArrayList<>();
    f.call("2013-7\u000012", series().iterator()).forEachRemaining(out::add);
    Map<Long, ForecastRow> p = byTime(out, "undershoot", 1);
    assertEquals(0.0, p.get(time(1, 2)).getPoint(), 0.0, "0.12 - 0.5 is clipped to 0");
    assertEquals(0.9 - 0.5, p.get(time(0, 8)).getPoint(), 1e-12, "inside the range: as is");
  }

  @Test
  void persistenceForecastsThePreviousValueOfTheSameSegmentAndNothingForTrainPoints() {
    LongAccumulator fallbacks = new LongAccumulator();
    List<ForecastRow> rows = run(new Persistence(), 1, fallbacks);
    Map<Long, ForecastRow> p = byTime(rows, "persistence", 1);
    // segment 0: validation and test points 6..9 only
    for (int t = 6; t < SEG0.length; t++) {
      assertForecast(p, time(0, t), SEG0[t], SEG0[t - 1], SPLIT0[t]);
    }
    // segment 1: its first point has no history in its segment; the rest use their own segment
    assertNull(p.get(time(1, 0)), "the last value before the gap is not history");
    for (int t = 1; t < SEG1.length; t++) {
      assertForecast(p, time(1, t), SEG1[t], SEG1[t - 1], "test");
    }
    assertEquals(4 + 5, p.size());
    assertTrue(rows.stream().noneMatch(r -> r.getSplit().equals("train")));
    assertEquals(0, fallbacks.value());
  }

  @Test
  void seasonalNaiveUsesTheValueOneSeasonEarlierAndFallsBackAfterAGap() {
    LongAccumulator fallbacks = new LongAccumulator();
    List<ForecastRow> rows = run(new SeasonalNaive(3), 1, fallbacks);
    Map<Long, ForecastRow> s = byTime(rows, "seasonal_naive", 1);
    for (int t = 6; t < SEG0.length; t++) {
      assertForecast(s, time(0, t), SEG0[t], SEG0[t - 3], SPLIT0[t]);
    }
    // a new segment restarts history: points 1 and 2 have less than a season and fall back to
    // the last value; from point 3 on the season is inside the segment
    assertNull(s.get(time(1, 0)));
    assertForecast(s, time(1, 1), SEG1[1], SEG1[0], "test");
    assertForecast(s, time(1, 2), SEG1[2], SEG1[1], "test");
    for (int t = 3; t < SEG1.length; t++) {
      assertForecast(s, time(1, t), SEG1[t], SEG1[t - 3], "test");
    }
    assertEquals(4 + 5, s.size());
    assertEquals(2, fallbacks.value());
  }

  @Test
  void twoStepsAheadFeedsForecastsBackAndFallsBackToTheLastValueAtTheOrigin() {
    LongAccumulator fallbacks = new LongAccumulator();
    List<ForecastRow> rows = run(new SeasonalNaive(3), 2, fallbacks);
    assertEquals(byTime(rows, "seasonal_naive", 1).size(), 9);
    Map<Long, ForecastRow> s2 = byTime(rows, "seasonal_naive", 2);
    // made at t - 2, the value one season before t (t - 3) is already known
    for (int t = 6; t < SEG0.length; t++) {
      assertForecast(s2, time(0, t), SEG0[t], SEG0[t - 3], SPLIT0[t]);
    }
    // segment 1: t = 0, 1 have no origin in the segment; t = 2, 3 fall back to the value at
    // the origin (t - 2); t = 4, 5 are seasonal
    assertNull(s2.get(time(1, 0)));
    assertNull(s2.get(time(1, 1)));
    assertForecast(s2, time(1, 2), SEG1[2], SEG1[0], "test");
    assertForecast(s2, time(1, 3), SEG1[3], SEG1[1], "test");
    assertForecast(s2, time(1, 4), SEG1[4], SEG1[1], "test");
    assertForecast(s2, time(1, 5), SEG1[5], SEG1[2], "test");
    assertEquals(2 + 2, fallbacks.value(), "step 1: 2 points, step 2: 2 points");
  }

  @Test
  void reactiveAutoscalerRowsArePolicyRowsForValidationAndTestPointsOnly() {
    List<ForecastRow> rows = run(new Persistence(), 1, new LongAccumulator());
    List<ForecastRow> reactive = rows.stream()
        .filter(r -> r.getModel().equals(BaselineForecaster.REACTIVE)).toList();
    assertEquals(4 + SEG1.length, reactive.size());
    Map<Long, ForecastRow> byTime = byTime(rows, BaselineForecaster.REACTIVE, 1);
    for (int t = 6; t < SEG0.length; t++) {
      ForecastRow r = byTime.get(time(0, t));
      assertNotNull(r, "t=" + t);
      assertEquals(SPLIT0[t], r.getSplit());
      assertEquals(SEG0[t], r.getActual(), 0.0);
    }
    for (int t = 0; t < SEG1.length; t++) {
      assertNotNull(byTime.get(time(1, t)), "segment 1 t=" + t);
    }
    for (ForecastRow r : reactive) {
      assertEquals(ScoreBook.POLICY, r.getFamily());
      assertEquals(r.getPoint(), r.getProvision(), 0.0, "capacity held is the provision");
      assertTrue(!r.getSplit().equals("train"));
    }
    // the autoscaler warm-starts each stretch at its first actual plus headroom
    assertEquals(SEG0[6] * 1.10, byTime.get(time(0, 6)).getProvision(), 1e-12);
    assertEquals(SEG0[8] * 1.10, byTime.get(time(0, 8)).getProvision(), 1e-12);
    assertEquals(SEG1[0] * 1.10, byTime.get(time(1, 0)).getProvision(), 1e-12);
  }
}
