package io.tracecast.etl.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The encoding of window tensors in Parquet: IEEE-754 float32, little-endian, packed, in the
 * order the manifest documents (inputs time-major lookback x features; targets step-major
 * horizon x targets). One binary value per row writes about ten times faster than a Parquet
 * list of floats, which pays repetition and definition levels per element, and decodes outside
 * Java in one call (numpy: {@code np.frombuffer(b, '<f4').reshape(T, F)}).
 */
public final class Float32Codec {
  public static final String NAME = "float32le";

  private Float32Codec() {}

  public static byte[] encode(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  public static float[] decode(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "a float32 tensor needs a multiple of 4 bytes, got " + bytes.length);
    }
    float[] out = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
