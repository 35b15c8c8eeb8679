package io.tracecast.kernels.buffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ND4J arrays that own their whole buffer (no view, offset 0, c order), so that element i in c
 * order is element i of the buffer: the hand-written layers read such buffers directly
 * ({@link NativeFloats}, the LSTM's element access and step buffers) and hand them to BLAS by
 * offset ({@link Gemm#batched}).
 */
public final class OwnedBuffer {
  private OwnedBuffer() {}

  public static boolean owns(INDArray a) {
    return !a.isView() && a.offset() == 0 && a.ordering() == 'c';
  }

  /** Throws unless {@link #owns}. */
  public static INDArray require(INDArray a) {
    if (!owns(a)) {
      throw new IllegalArgumentException("needs a fresh c-order array, got "
          + a.shapeInfoToString());
    }
    return a;
  }

  /** The array in the given type, copied into a buffer of its own unless it already owns one. */
  public static INDArray of(INDArray a, DataType type) {
    INDArray x = a.castTo(type);
    return owns(x) ? x : x.dup('c');
  }
}
