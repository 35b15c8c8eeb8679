package io.tracecast.kernels.lstm;

import io.tracecast.kernels.blas.Gemm;
import io.tracecast.kernels.buffer.OwnedBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A time-major buffer {@code [directions, steps * batch, width]} (c order, contiguous): direction
 * d's step s is the contiguous block of rows {@code s*batch .. (s+1)*batch}, in processing order
 * (the backward direction's step 0 is the last time step). Views are built straight from the
 * buffer, offset and strides (ND4J 1.0.0-M2.1's 2-D {@code get(interval, all)} returned an
 * empty array on such nested views). The element-wise maths reads the same layout through
 * {@link Buf} and {@link LstmCells}.
 */
final class StepBuffer {
  final INDArray array;
  private final long dirs;
  private final long rows;
  private final long batch;
  private final long steps;
  private final long width;

  StepBuffer(INDArray array, long batch) {
    // Views are offsets into array.data(), so the array must own its whole buffer.
    if (array.rank() != 3 || !OwnedBuffer.owns(array)) {
      throw new IllegalArgumentException("expected a fresh c-order [dirs, rows, width] buffer, got "
          + array.shapeInfoToString());
    }
    this.array = array;
    this.dirs = array.size(0);
    this.rows = array.size(1);
    this.batch = batch;
    this.width = array.size(2);
    this.steps = rows / batch;
  }

  long batch() {
    return batch;
  }

  /** Blocks of {@code batch} rows (time steps, plus one for the state buffers). */
  long steps() {
    return steps;
  }

  /** Direction d's step s: a contiguous {@code [batch, width]} block (a GEMM operand). */
  Gemm.Block block(int d, long s) {
    return new Gemm.Block(array, (d * rows + s * batch) * width, batch, width, width);
  }

  /** Direction d's steps {@code from .. from+steps}: a contiguous {@code [steps*batch, width]}. */
  INDArray rows(int d, long fromStep, long steps) {
    return Nd4j.create(array.data(), new long[] {steps * batch, width}, new long[] {width, 1},
        (d * rows + fromStep * batch) * width, 'c');
  }

  /**
   * Step s of all directions, columns {@code from .. from+cols}: {@code [dirs, batch, cols]}, the
   * operand of one element-wise op that covers both directions.
   */
  INDArray step(long s, long from, long cols) {
    return Nd4j.create(array.data(), new long[] {dirs, batch, cols},
        new long[] {rows * width, width, 1}, s * batch * width + from, 'c');
  }
}
