package io.tracecast.kernels.lstm;

import io.tracecast.kernels.buffer.NativeDoubles;
import io.tracecast.kernels.buffer.NativeFloats;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to an INDArray's native memory from Java, for the LSTM's element-wise cell
 * maths: one Java loop per step does what would otherwise be a dozen ND4J ops, each of which
 * costs tens of microseconds of dispatch (and far more on strided views) for 16k elements.
 * Indices are positions in the array's own buffer: only arrays that own their whole buffer
 * (fresh, offset 0, c order) may be wrapped.
 */
abstract sealed class Buf permits Buf.F32, Buf.F64 {
  abstract double get(int i);

  abstract void set(int i, double v);

  static Buf of(INDArray a) {
    return switch (a.dataType()) {
      case FLOAT -> new F32(NativeFloats.of(a));
      case DOUBLE -> new F64(NativeDoubles.of(a));
      default -> throw new IllegalArgumentException("FusedLstm supports float and double, got "
          + a.dataType());
    };
  }

  static final class F32 extends Buf {
    private final FloatBuffer b;

    F32(FloatBuffer b) {
      this.b = b;
    }

    @Override
    double get(int i) {
      return b.get(i);
    }

    @Override
    void set(int i, double v) {
      b.put(i, (float) v);
    }
  }

  static final class F64 extends Buf {
    private final DoubleBuffer b;

    F64(DoubleBuffer b) {
      this.b = b;
    }

    @Override
    double get(int i) {
      return b.get(i);
    }

    @Override
    void set(int i, double v) {
      b.put(i, v);
    }
  }
}
