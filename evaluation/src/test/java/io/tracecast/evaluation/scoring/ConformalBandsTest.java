package io.tracecast.evaluation.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds of a calibrated band, and their clipping to the target's physical range. */
class ConformalBandsTest {

  /**
   * 19 validation residuals -9..9 give the 80 % band the ranks floor(20 x 0.1) = 2 and
   * ceil(20 x 0.9) = 18, i.e. offsets -8 and +8; a forecast of 3 is [-5, 11] unclipped, and
   * [0, 11] for usage, which is never negative.
   */
  @Test
  void boundsAreTheForecastPlusTheRankedResidualsClippedToTheTargetsRange() {
    List<ForecastRow> rows = new ArrayList<>();
    for (int r = -9; r <= 9; r++) {
      rows.add(new ForecastRow("j", "s", "validation", "cpu", 1, 1000L * (r + 10), "m", 1,
          "NETWORK", 50 + r, 50, null, 50));
    }
    ConformalBands bands = ConformalBands.calibrate(SparkTestSession.get()
        .createDataset(rows, ForecastTable.ENCODER), new double[] {0.8});
    ForecastRow low = new ForecastRow("j", "s", "test", "cpu", 1, 0L, "m", 1, "NETWORK", 1, 3,
        null, 3);
    assertArrayEquals(new double[] {-8, 8}, bands.offsets("j", "m", 1, 1, "cpu"), 0.0);
    assertArrayEquals(new double[] {-5, 11}, bands.bounds(low), 0.0);
    ConformalBands clipped = bands.clippedTo(Map.of("cpu", new Manifest.Bounds(0.0, null)));
    assertArrayEquals(new double[] {0, 11}, clipped.bounds(low), 0.0);
    assertArrayEquals(new double[] {42, 58}, clipped.bounds(new ForecastRow("j", "s", "test",
        "cpu", 1, 0L, "m", 1, "NETWORK", 40, 50, null, 50)), 0.0, "inside the range: as is");
    assertEquals(0.0, clipped.plus(ConformalBands.none()).bounds(low)[0], 0.0,
        "the range survives a merge");
  }
}
