package io.tracecast.kernels.buffer;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A float64 ND4J array's native buffer as a {@link DoubleBuffer}: {@link NativeFloats} for the
 * double-precision paths of the hand-written layers (the gradient-checked references).
 */
public final class NativeDoubles {
  private NativeDoubles() {}

  /** The buffer of a fresh c-order array (no view, no offset), element 0 first. */
  public static DoubleBuffer of(INDArray a) {
    return OwnedBuffer.require(a).data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
  }
}
