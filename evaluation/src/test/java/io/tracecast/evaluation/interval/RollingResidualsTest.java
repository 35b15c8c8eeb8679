package io.tracecast.evaluation.interval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollingResidualsTest {

  /**
   * After every arrival the window's offsets are those of the last {@code capacity} residuals of
   * the stream, computed from scratch (a copy of the stream's tail, sorted): the window keeps the
   * right residuals, in the right order, with ties and repeated values among them.
   */
  @Test
  void offsetsAreThoseOfTheLastCapacityResidualsOfTheStream() {
    Random rnd = new Random(11);
    int capacity = 23;
    RollingResiduals window = new RollingResiduals(capacity);
    double[] stream = new double[400];
    for (int i = 0; i < stream.length; i++) {
      // rounded, so equal values enter and leave the window
      stream[i] = Math.round(rnd.nextGaussian() * (i < 200 ? 4 : 12));
      window.add(stream[i]);
      int n = Math.min(i + 1, capacity);
      assertEquals(n, window.size());
      assertEquals(n == capacity, window.full());
      double[] tail = Arrays.copyOfRange(stream, i + 1 - n, i + 1);
      for (double level : new double[] {0.8, 0.9}) {
        double[] expected = SplitConformal.offsets(tail, level);
        if (expected == null) {
          assertNull(window.offsets(level), "step " + i);
        } else {
          assertArrayEquals(expected, window.offsets(level), 0.0, "step " + i);
        }
      }
    }
  }

  @Test
  void ignoresNonFiniteResiduals() {
    RollingResiduals window = new RollingResiduals(9);
    for (int i = 1; i <= 9; i++) {
      window.add(i);
      window.add(Double.NaN);
    }
    assertTrue(window.full());
    // 9 residuals 1..9 at 80 %: ranks 1 and 9
    assertArrayEquals(new double[] {1, 9}, window.offsets(0.8), 0.0);
    assertFalse(new RollingResiduals(2).full());
  }
}
