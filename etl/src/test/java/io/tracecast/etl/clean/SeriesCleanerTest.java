package io.tracecast.etl.clean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.source.SeriesChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesCleanerTest {
  private static final long SECOND = 1_000_000L;
  private static final long STEP = 300 * SECOND;
  /** 2019-05-06T00:00:00Z, on a 5-minute boundary. */
  private static final long BASE = 1_557_100_800L * SECOND;
  private static final double NAN = Double.NaN;
  private static final double EPS = 1e-12;

  /** Rows (offset seconds from BASE, cpu, memory) in the order given: not sorted. */
  private static SeriesChunk chunk(double[]... rows) {
    long[] ts = new long[rows.length];
    double[][] v = new double[2][rows.length];
    for (int i = 0; i < rows.length; i++) {
      ts[i] = BASE + (long) rows[i][0] * SECOND;
      v[0][i] = rows[i][1];
      v[1][i] = rows[i][2];
    }
    return new SeriesChunk("job", "series", ts, v);
  }

  private static double[] row(double offsetSeconds, double cpu, double memory) {
    return new double[] {offsetSeconds, cpu, memory};
  }

  private static void assertAccountsForEveryRow(CleaningStats s) {
    assertEquals(s.rowsIn(), s.exactDuplicatesDropped() + s.duplicateTimestampsMerged()
        + s.rowsMergedIntoSteps() + s.stepsObserved(), "row accounting: " + s);
  }

  /**
   * One series with every case at once; the expected grid is computed by hand:
   * <pre>
   * step 0 (t 0..299)  rows t0 (0.10, 0.50) twice (exact duplicate) and t0 (0.20, 0.70): the
   *                    timestamp mean is (0.15, 0.60); t120 (0.30, NaN) falls in the same step:
   *                    cpu (0.15 + 0.30) / 2 = 0.225, memory 0.60 (NaN does not count)
   * step 1             t310 (0.40, 0.80)
   * steps 2, 3         missing: a gap of 2 <= maxGapSteps 2, cpu interpolated 0.50, 0.60
   * step 4             t1200 (0.70, NaN): memory missing at this step
   * step 5             t1500 (0.60, 0.90), t1650 (0.80, 1.10): (0.70, 1.00)
   *                    memory over steps 1..5 is filled linearly 0.80, 0.85, 0.90, 0.95, 1.00
   * steps 6, 7, 8      missing: a gap of 3 > 2 starts segment 1
   * steps 9, 10, 11    (0.50, NaN), (0.55, NaN), (0.65, 0.40): memory held flat at 0.40 at the
   *                    segment's leading edge
   * </pre>
   */
  @Test
  void cleansDuplicatesIrregularStepsGapsAndMissingMetricsAsComputedByHand() {
    SeriesChunk raw = chunk(
        row(310, 0.40, 0.80),
        row(0, 0.10, 0.50),
        row(3300, 0.65, 0.40),
        row(0, 0.20, 0.70),
        row(0, 0.10, 0.50),
        row(120, 0.30, NAN),
        row(1650, 0.80, 1.10),
        row(1200, 0.70, NAN),
        row(1500, 0.60, 0.90),
        row(2700, 0.50, NAN),
        row(3000, 0.55, NAN));

    CleanedSeries s = new SeriesCleaner(STEP, 2).clean(raw);

    long[] expectedOffsets = {0, 300, 600, 900, 1200, 1500, 2700, 3000, 3300};
    long[] expectedTs = new long[expectedOffsets.length];
    for (int i = 0; i < expectedTs.length; i++) {
      expectedTs[i] = BASE + expectedOffsets[i] * SECOND;
    }
    assertEquals("job", s.jobId());
    assertEquals("series", s.seriesId());
    assertEquals(STEP, s.stepMicros());
    assertArrayEquals(expectedTs, s.timestampsMicros());
    assertArrayEquals(new double[] {0.225, 0.40, 0.50, 0.60, 0.70, 0.70, 0.50, 0.55, 0.65},
        s.values()[0], EPS);
    assertArrayEquals(new double[] {0.60, 0.80, 0.85, 0.90, 0.95, 1.00, 0.40, 0.40, 0.40},
        s.values()[1], EPS);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1}, s.segment());
    assertArrayEquals(
        new boolean[] {false, false, true, true, false, false, false, false, false},
        s.interpolated());
    assertArrayEquals(new int[] {0, 6, 9}, s.segmentStarts());

    CleaningStats st = s.stats();
    assertEquals(11, st.rowsIn());
    assertEquals(1, st.exactDuplicatesDropped());
    assertEquals(1, st.duplicateTimestampsMerged());
    assertEquals(2, st.rowsMergedIntoSteps(), "t120 into step 0, t1650 into step 5");
    assertEquals(7, st.stepsObserved(), "steps 0, 1, 4, 5, 9, 10, 11");
    assertEquals(1, st.gapsInterpolated());
    assertEquals(2, st.stepsInterpolated());
    assertEquals(1, st.longGaps());
    assertEquals(3, st.stepsInLongGaps());
    assertEquals(5, st.valuesFilled(), "memory at steps 2, 3, 4 and 9, 10");
    assertEquals(2, st.segments());
    assertAccountsForEveryRow(st);
  }

  @Test
  void interpolatesAShortGapLinearlyInEveryMetric() {
    // steps 0 and 4 observed, 3 missing steps in between (maxGapSteps 3): weights 1/4, 2/4, 3/4
    CleanedSeries s = new SeriesCleaner(STEP, 3).clean(chunk(
        row(0, 0.10, 0.20), row(1200, 0.50, 0.10)));
    assertArrayEquals(new double[] {0.10, 0.20, 0.30, 0.40, 0.50}, s.values()[0], EPS);
    assertArrayEquals(new double[] {0.20, 0.175, 0.15, 0.125, 0.10}, s.values()[1], EPS);
    assertArrayEquals(new boolean[] {false, true, true, true, false}, s.interpolated());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0}, s.segment());
    CleaningStats st = s.stats();
    assertEquals(1, st.gapsInterpolated());
    assertEquals(3, st.stepsInterpolated());
    assertEquals(0, st.longGaps());
    assertEquals(0, st.valuesFilled(), "interpolated steps are not counted as filled values");
    assertEquals(1, st.segments());
    assertAccountsForEveryRow(st);
  }

  @Test
  void startsANewSegmentAfterAGapLongerThanMaxGapSteps() {
    // steps 2 and 3 missing, one more than maxGapSteps: the series is cut, no point invented
    CleanedSeries s = new SeriesCleaner(STEP, 1).clean(chunk(
        row(0, 0.1, 0.1), row(300, 0.2, 0.2), row(1200, 0.3, 0.3), row(1500, 0.4, 0.4)));
    assertEquals(4, s.size());
    assertArrayEquals(new int[] {0, 0, 1, 1}, s.segment());
    assertArrayEquals(new int[] {0, 2, 4}, s.segmentStarts());
    assertEquals(1, s.stats().longGaps());
    assertEquals(2, s.stats().stepsInLongGaps());
    assertEquals(0, s.stats().stepsInterpolated());
    assertEquals(2, s.stats().segments());
  }

  @Test
  void keepsAMetricNaNWhereTheWholeSegmentLacksIt() {
    CleanedSeries s = new SeriesCleaner(STEP, 0).clean(chunk(
        row(0, 0.1, NAN), row(300, 0.2, NAN), row(1200, 0.3, 0.9), row(1500, 0.4, NAN)));
    assertArrayEquals(new int[] {0, 0, 1, 1}, s.segment());
    assertTrue(Double.isNaN(s.values()[1][0]));
    assertTrue(Double.isNaN(s.values()[1][1]));
    // trailing edge of segment 1 is held flat
    assertArrayEquals(new double[] {0.9, 0.9}, new double[] {s.values()[1][2], s.values()[1][3]});
    assertEquals(1, s.stats().valuesFilled());
  }

  @Test
  void alignsStepsToTheEpochAndAveragesWithinAStep() {
    // 07:02:10 and 07:04:50 both fall in the 07:00 step; 07:05:00 opens the next one
    long t0 = BASE + (7 * 3600 + 130) * SECOND;
    long t1 = BASE + (7 * 3600 + 290) * SECOND;
    long t2 = BASE + (7 * 3600 + 300) * SECOND;
    SeriesChunk raw = new SeriesChunk("j", "s", new long[] {t0, t1, t2},
        new double[][] {{0.2, 0.4, 0.8}});
    CleanedSeries s = new SeriesCleaner(STEP, 3).clean(raw);
    assertArrayEquals(new long[] {BASE + 7 * 3600 * SECOND, BASE + (7 * 3600 + 300) * SECOND},
        s.timestampsMicros());
    assertArrayEquals(new double[] {0.3, 0.8}, s.values()[0], EPS);
    assertEquals(1, s.stats().rowsMergedIntoSteps());
    assertAccountsForEveryRow(s.stats());
  }

  @Test
  void alignsNegativeTimestampsDownwards() {
    // -1 s belongs to the step [-300 s, 0), not to the step starting at 0
    SeriesChunk raw = new SeriesChunk("j", "s", new long[] {-SECOND, 0},
        new double[][] {{0.1, 0.2}});
    CleanedSeries s = new SeriesCleaner(STEP, 3).clean(raw);
    assertArrayEquals(new long[] {-STEP, 0}, s.timestampsMicros());
  }

  @Test
  void treatsRowsWithEqualNaNsAsExactDuplicates() {
    CleanedSeries s = new SeriesCleaner(STEP, 3).clean(chunk(
        row(0, 0.1, NAN), row(0, 0.1, NAN), row(0, 0.1, NAN)));
    assertEquals(2, s.stats().exactDuplicatesDropped());
    assertEquals(0, s.stats().duplicateTimestampsMerged());
    assertEquals(1, s.stats().stepsObserved());
    assertAccountsForEveryRow(s.stats());
  }

  @Test
  void cleansAnEmptyChunkToAnEmptySeries() {
    CleanedSeries s = new SeriesCleaner(STEP, 3).clean(
        new SeriesChunk("j", "s", new long[0], new double[][] {new double[0]}));
    assertEquals(0, s.size());
    assertEquals(0, s.stats().segments());
    assertArrayEquals(new int[] {0}, s.segmentStarts());
    assertAccountsForEveryRow(s.stats());
  }

  @Test
  void accountsForEveryRowOfARandomSeries() {
    java.util.Random random = new java.util.Random(42);
    for (int trial = 0; trial < 50; trial++) {
      List<double[]> rows = new ArrayList<>();
      int n = 1 + random.nextInt(200);
      for (int i = 0; i < n; i++) {
        double offset = random.nextInt(40) * 97;
        double cpu = random.nextInt(3) / 4.0;
        double mem = random.nextInt(5) == 0 ? NAN : random.nextInt(3) / 4.0;
        rows.add(row(offset, cpu, mem));
        if (random.nextInt(10) == 0) {
          rows.add(row(offset, cpu, mem));
        }
      }
      CleanedSeries s = new SeriesCleaner(STEP, random.nextInt(4))
          .clean(chunk(rows.toArray(new double[0][])));
      CleaningStats st = s.stats();
      assertEquals(rows.size(), st.rowsIn());
      assertAccountsForEveryRow(st);
      assertEquals(st.stepsObserved() + st.stepsInterpolated(), s.size());
      for (int i = 1; i < s.size(); i++) {
        long delta = s.timestampsMicros()[i] - s.timestampsMicros()[i - 1];
        if (s.segment()[i] == s.segment()[i - 1]) {
          assertEquals(STEP, delta, "consecutive points of a segment are one step apart");
        } else {
          assertTrue(delta > STEP, "a new segment follows a long gap");
        }
      }
    }
  }

  @Test
  void rejectsANonPositiveStepAndANegativeMaxGap() {
    assertThrows(IllegalArgumentException.class, () -> new SeriesCleaner(0, 3));
    assertThrows(IllegalArgumentException.class, () -> new SeriesCleaner(STEP, -1));
  }
}
