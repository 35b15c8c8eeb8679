package io.tracecast.training.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WindowTensorsTest {
  /** 2 steps x 2 features, time-major: (t0: 1, -50), (t1: 0, 0.5). */
  private static final float[] WINDOW = {1f, -50f, 0f, 0.5f};

  @Test
  void transposesTimeMajorWindowsToFeaturesByTime() {
    INDArray x = WindowTensors.features(List.of(WINDOW), new NetworkShape(2, 2, 1, 1));
    assertEquals(1f, x.getFloat(0, 0, 0));
    assertEquals(0f, x.getFloat(0, 0, 1));
    assertEquals(-50f, x.getFloat(0, 1, 0));
    assertEquals(0.5f, x.getFloat(0, 1, 1));
  }

  @Test
  void squashedInputsAreTheirAsinhSoTailsGrowLogarithmically() {
    INDArray x = WindowTensors.features(List.of(WINDOW),
        new NetworkShape(2, 2, 1, 1, List.of(0), true));
    // asinh(x) = ln(x + sqrt(x^2 + 1)): 0.8814 at 1, -4.6053 at -50, 0 at 0, 0.4812 at 0.5
    assertEquals(0.881374, x.getFloat(0, 0, 0), 1e-6);
    assertEquals(0f, x.getFloat(0, 0, 1), 0f);
    assertEquals(-4.605270, x.getFloat(0, 1, 0), 1e-5);
    assertEquals(0.481212, x.getFloat(0, 1, 1), 1e-6);
  }

  /** Element (r, c) of every layout a network hands back: owned, a transposed view, doubles. */
  @Test
  void rowsAreTheOutputsRowByRowWhateverTheLayout() {
    INDArray owned = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2}, 'c');
    INDArray view = Nd4j.create(new float[] {1, 3, 5, 2, 4, 6}, new long[] {2, 3}, 'c')
        .transpose();
    INDArray doubles = owned.castTo(DataType.DOUBLE);
    for (INDArray out : List.of(owned, view, doubles)) {
      float[][] rows = WindowTensors.rows(out);
      assertEquals(3, rows.length);
      for (int r = 0; r < 3; r++) {
        assertArrayEquals(new float[] {2 * r + 1, 2 * r + 2}, rows[r], 0f);
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> WindowTensors.rows(Nd4j.zeros(DataType.FLOAT, 2, 2, 2)));
  }
}
