package io.tracecast.kernels.buffer;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A float32 ND4J array's native buffer as a {@link FloatBuffer}, for the hand-written layers'
 * Java loops: they copy whole blocks in and out with the bulk {@code get}/{@code put} (about 0.1
 * ns per byte) and compute on {@code float[]}, which C2 vectorises; per-element access through
 * the buffer costs 5-8 ns (bench/README.md, issue 11, round 3).
 */
public final class NativeFloats {
  private NativeFloats() {}

  /** The buffer of a fresh c-order array (no view, no offset), element 0 first. */
  public static FloatBuffer of(INDArray a) {
    return OwnedBuffer.require(a).data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
