package io.tracecast.kernels.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Gemm}'s direct OpenBLAS path computes what {@link Nd4j#gemm} computes, on the operands
 * the layers pass: fresh arrays, row blocks of a larger buffer (offsets), column blocks (row
 * stride wider than the row), every transpose combination, beta 0 and 1.
 */
class GemmTest {
  private static final int M = 7;
  private static final int N = 5;
  private static final int K = 6;

  /** An [rows, cols] operand as a view: rows 3.. of a wider, taller buffer, columns 2... */
  private static INDArray view(long seed, int rows, int cols) {
    Nd4j.getRandom().setSeed(seed);
    INDArray buffer = Nd4j.rand(DataType.FLOAT, rows + 5, cols + 4);
    return buffer.get(NDArrayIndex.interval(3, 3 + rows), NDArrayIndex.interval(2, 2 + cols));
  }

  /** The same values in a fresh array (what Nd4j.gemm is given as the reference). */
  private static INDArray fresh(INDArray x) {
    return x.dup('c');
  }

  @Test
  void directPathEqualsNd4jOnViewsForEveryTransposeAndBeta() {
    int cases = 0;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (double beta : new double[] {0.0, 1.0}) {
          INDArray a = ta ? view(1, K, M) : view(1, M, K);
          INDArray b = tb ? view(2, N, K) : view(2, K, N);
          INDArray c = view(3, M, N);
          INDArray expected = fresh(c);
          Nd4j.gemm(fresh(a), fresh(b), expected, ta, tb, 0.5, beta);
          INDArray before = c.dup();
          Gemm.gemm(a, b, c, ta, tb, 0.5, beta);
          double diff = c.sub(expected).amaxNumber().doubleValue();
          assertEquals(0, diff, 1e-5, "ta " + ta + " tb " + tb + " beta " + beta);
          assertTrue(c.sub(before).amaxNumber().doubleValue() > 0.01, "C was written");
          cases++;
        }
      }
    }
    assertEquals(8, cases);
  }

  @Test
  void batchedEqualsOneNd4jProductPerExampleInBothPaths() {
    // Float takes one cblas call per example, double ND4J's batched matmul and the scaling.
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          Nd4j.getRandom().setSeed(20);
          INDArray a = Nd4j.rand(type, 4, ta ? K : M, ta ? M : K);
          INDArray b = Nd4j.rand(type, 4, tb ? N : K, tb ? K : N);
          INDArray c = Nd4j.rand(type, 4, M, N);
          INDArray expected = c.dup();
          for (int i = 0; i < 4; i++) {
            INDArray ci = expected.slice(i);
            INDArray product = Nd4j.create(type, M, N);
            Nd4j.gemm(a.slice(i).dup('c'), b.slice(i).dup('c'), product, ta, tb, 0.5, 0.0);
            ci.muli(0.25).addi(product);
          }
          Gemm.batched(a, b, c, ta, tb, 0.5, 0.25);
          assertEquals(0, c.sub(expected).amaxNumber().doubleValue(), 1e-5,
              type + " ta " + ta + " tb " + tb);
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Gemm.batched(Nd4j.rand(DataType.FLOAT, 2,
        M, K), Nd4j.rand(DataType.FLOAT, 3, K, N), Nd4j.create(DataType.FLOAT, 2, M, N), false,
        false, 1, 0));
  }

  @Test
  void copyWritesExactlyTheTargetBlockInBothPaths() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      Nd4j.getRandom().setSeed(30);
      INDArray src = Nd4j.rand(type, M, N);
      INDArray buffer = Nd4j.rand(type, 3 * M, N);
      INDArray before = buffer.dup();
      // Rows M .. 2M of the buffer: a dense block at an offset (cblas_scopy for float).
      Gemm.copy(Gemm.Block.of(src), new Gemm.Block(buffer, (long) M * N, M, N, N));
      assertEquals(0, buffer.get(NDArrayIndex.interval(M, 2 * M), NDArrayIndex.all()).sub(src)
          .amaxNumber().doubleValue(), 0.0, type.toString());
      for (int[] rows : new int[][] {{0, M}, {2 * M, 3 * M}}) {
        INDArrayIndex[] untouched = {NDArrayIndex.interval(rows[0], rows[1]), NDArrayIndex.all()};
        assertEquals(0, buffer.get(untouched).sub(before.get(untouched)).amaxNumber()
            .doubleValue(), 0.0, type + " rows outside the block");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Gemm.copy(
        Gemm.Block.of(Nd4j.rand(DataType.FLOAT, M, N)),
        Gemm.Block.of(Nd4j.rand(DataType.FLOAT, N, M))));
  }

  @Test
  void aOneRowMatrixWithRowStrideOneIsAnOperand() {
    // ND4J makes such [1, n] arrays (a batch of one, a one-feature input's weights).
    INDArray row = Nd4j.create(new float[] {1, 2, 3, 4, 5}, new long[] {1, N}, new long[] {1, 1},
        'c', DataType.FLOAT);
    INDArray b = Nd4j.rand(DataType.FLOAT, N, K);
    INDArray c = Nd4j.create(DataType.FLOAT, 1, K);
    Gemm.gemm(Gemm.Block.of(row), Gemm.Block.of(b), Gemm.Block.of(c), false, false, 1.0, 0.0);
    INDArray expected = Nd4j.create(DataType.FLOAT, 1, K);
    Nd4j.gemm(row.dup(), b, expected, false, false, 1.0, 0.0);
    assertEquals(0, c.sub(expected).amaxNumber().doubleValue(), 1e-5);
    assertTrue(expected.amaxNumber().doubleValue() > 0.1);
  }

  @Test
  void gemvEqualsTheOneRowProductOnViews() {
    for (boolean ta : new boolean[] {false, true}) {
      for (double beta : new double[] {0.0, 1.0}) {
        INDArray a = ta ? view(10, N, K) : view(10, K, N);
        INDArray x = view(11, 1, K);
        INDArray y = view(12, 1, N);
        INDArray expected = fresh(y);
        Nd4j.gemm(fresh(x), fresh(a), expected, false, ta, 2.0, beta);
        Gemm.gemv(x, a, y, ta, 2.0, beta);
        assertEquals(0, y.sub(expected).amaxNumber().doubleValue(), 1e-5, "ta " + ta
            + " beta " + beta);
      }
    }
    // Column sums, as the LSTM's bias gradient uses it.
    INDArray a = view(13, 300, N);
    INDArray sums = Nd4j.create(DataType.FLOAT, 1, N);
    Gemm.gemv(Nd4j.ones(DataType.FLOAT, 1, 300), a, sums, false, 1.0, 0.0);
    assertEquals(0, sums.sub(a.sum(0).reshape(1, N)).amaxNumber().doubleValue(), 1e-3);
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemv(view(14, 1, N), a, sums, false, 1.0, 0.0));
  }

  @Test
  void blocksOfAStepBufferEqualViewsInFloatAndDouble() {
    // [2 directions, 3 steps x 4 rows, width]: a block is one direction's step, as the LSTM uses.
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      Nd4j.getRandom().setSeed(20);
      INDArray hs = Nd4j.rand(type, 2, 12, K);
      INDArray gs = Nd4j.rand(type, 2, 12, N);
      INDArray w = Nd4j.rand(type, K + 2, N).get(NDArrayIndex.interval(1, 1 + K),
          NDArrayIndex.all());
      Gemm.Block a = new Gemm.Block(hs, (12 + 4) * K, 4, K, K);
      Gemm.Block c = new Gemm.Block(gs, (12 + 8) * N, 4, N, N);
      INDArray expected = gs.get(NDArrayIndex.point(1), NDArrayIndex.interval(8, 12),
          NDArrayIndex.all()).dup();
      Nd4j.gemm(hs.get(NDArrayIndex.point(1), NDArrayIndex.interval(4, 8), NDArrayIndex.all())
          .dup(), w.dup(), expected, false, false, 1.0, 1.0);
      INDArray before = gs.dup();
      Gemm.gemm(a, Gemm.Block.of(w), c, false, false, 1.0, 1.0);
      INDArray written = gs.get(NDArrayIndex.point(1), NDArrayIndex.interval(8, 12),
          NDArrayIndex.all());
      assertEquals(0, written.sub(expected).amaxNumber().doubleValue(), 1e-5, type.toString());
      assertEquals(4 * N, gs.neq(before).castTo(DataType.INT32).sumNumber().intValue(),
          type + ": only the block changes");
    }
    assertThrows(IllegalArgumentException.class,
        () -> new Gemm.Block(Nd4j.create(DataType.FLOAT, 2, 12, K), 23 * K, 2, K, K));
  }

  @Test
  void leavesTheBufferAroundAViewUntouched() {
    Nd4j.getRandom().setSeed(4);
    INDArray buffer = Nd4j.rand(DataType.FLOAT, M + 4, N + 4);
    INDArray before = buffer.dup();
    INDArray c = buffer.get(NDArrayIndex.interval(2, 2 + M), NDArrayIndex.interval(1, 1 + N));
    Gemm.gemm(view(5, M, K), view(6, K, N), c, false, false, 1.0, 0.0);
    INDArray changed = buffer.neq(before).castTo(DataType.INT32);
    assertEquals(M * N, changed.sumNumber().intValue(), "only C's elements change");
    assertEquals(M * N, changed.get(NDArrayIndex.interval(2, 2 + M),
        NDArrayIndex.interval(1, 1 + N)).sumNumber().intValue());
  }

  @Test
  void doublesAndMismatchedShapes() {
    INDArray a = Nd4j.rand(DataType.DOUBLE, M, K);
    INDArray b = Nd4j.rand(DataType.DOUBLE, K, N);
    INDArray c = Nd4j.create(DataType.DOUBLE, M, N);
    Gemm.gemm(a, b, c, false, false, 1.0, 0.0);
    assertEquals(0, c.sub(a.mmul(b)).amaxNumber().doubleValue(), 1e-12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(view(7, M, K), view(8, N, K), view(9, M, N), false, false, 1, 0));
    assertTrue(e.getMessage().contains("[7, 6] x [5, 6] -> [7, 5]"), e.getMessage());
  }
}
