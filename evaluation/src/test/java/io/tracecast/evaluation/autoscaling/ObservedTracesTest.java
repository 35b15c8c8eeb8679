package io.tracecast.evaluation.autoscaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.etl.dataset.Split;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ObservedTracesTest {
  private static final long STEP_MS = 300_000;

  /** predict's row for origin index o, step k: forecast 10o + k, band +-1, actual 100 + o + k. */
  private static Row row(String series, int o, int k) {
    return RowFactory.create("job", series, o * STEP_MS, k, 10.0 * o + k, 10.0 * o + k - 1,
        10.0 * o + k + 1, 100.0 + o + k);
  }

  @Test
  void buildsRunsOfStepsWithUsageAndEveryForecastAndCountsWhatIsLeftOut() {
    List<Row> rows = new ArrayList<>();
    // series a: origins 0..9 but origin 5 lacks its step-2 forecast: runs [0, 5) and [6, ...)
    for (int o = 0; o < 10; o++) {
      for (int k = 1; k <= 2; k++) {
        if (!(o == 5 && k == 2)) {
          rows.add(row("a", o, k));
        }
      }
    }
    // series b: origins 0..1 only: too short for minLength 4
    for (int o = 0; o < 2; o++) {
      for (int k = 1; k <= 2; k++) {
        rows.add(row("b", o, k));
      }
    }
    ObservedTraces.Built built = ObservedTraces.build(rows, Split.TEST, 300, 2, 4);
    // a: usage is known at 1..11 (actuals of targets); complete steps need usage and both
    // forecasts at the origin: origins 1..4 and 6..9 (origin 0 has no usage)
    assertEquals(2, built.traces().size());
    DemandTrace first = built.traces().get(0);
    assertEquals("a", first.series());
    assertEquals(STEP_MS, first.startMillis());
    assertArrayEquals(new double[] {101, 102, 103, 104}, first.demand(), 0);
    // the step-2 forecast made at origin 1 is 10 + 2, its band 11..13
    assertEquals(12, first.p50()[1][0], 0);
    assertEquals(11, first.p10()[1][0], 0);
    assertEquals(13, first.p90()[1][0], 0);
    assertEquals(102.5, first.scale(), 1e-12);
    assertArrayEquals(new double[] {106, 107, 108, 109}, built.traces().get(1).demand(), 0);
    // b has usage at 1..3 and forecasts at origins 0..1: a run of one step (origin 1), shorter
    // than minLength, left out and counted. Steps that are in no run (a's origin 0 without
    // usage, its last steps without forecasts) are no one's loss: nothing can be decided there.
    assertEquals(1, built.dropped());
  }
}
