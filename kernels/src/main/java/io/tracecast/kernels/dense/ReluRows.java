package io.tracecast.kernels.dense;

import io.tracecast.kernels.buffer.NativeDoubles;
import io.tracecast.kernels.buffer.NativeFloats;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise part of {@link FusedDenseLayer} on the heap: the ReLU of each layer's
 * activations in place, and backward's gradient through it. Works on the layer's scratch arrays
 * (c order, owning their whole buffers): {@code act[i]} and {@code delta[i]}, both
 * {@code [batch, units(i)]}. One bulk copy in and out per array and pass (about 0.1 ns per
 * byte); the loops on {@code float[]} are ones C2 vectorises. One implementation per precision:
 * float (every network tracecast builds) and double (the gradient checks).
 */
abstract sealed class ReluRows {
  static ReluRows of(DataType type, INDArray[] act, INDArray[] delta) {
    return switch (type) {
      case FLOAT -> new Floats(act, delta);
      case DOUBLE -> new Doubles(act, delta);
      default -> throw new IllegalArgumentException("FusedDense supports float and double, got "
          + type);
    };
  }

  /** {@code act[i] = max(act[i], 0)}. */
  abstract void relu(int i);

  /**
   * {@code delta[i] = delta[i] * (act[i] > 0)}: dL/dz from dL/da through the ReLU, 0 where it
   * was off (at z = 0 included, as ND4J's ReLU derivative).
   */
  abstract void maskByActive(int i);

  private static int widest(INDArray[] arrays) {
    long n = 0;
    for (INDArray a : arrays) {
      n = Math.max(n, a.length());
    }
    return Math.toIntExact(n);
  }

  private static final class Floats extends ReluRows {
    private final FloatBuffer[] act;
    private final FloatBuffer[] delta;
    private final int[] length;
    private final float[] a;
    private final float[] d;

    Floats(INDArray[] act, INDArray[] delta) {
      this.act = new FloatBuffer[act.length];
      this.delta = new FloatBuffer[act.length];
      this.length = new int[act.length];
      for (int i = 0; i < act.length; i++) {
        this.act[i] = NativeFloats.of(act[i]);
        this.delta[i] = NativeFloats.of(delta[i]);
        this.length[i] = Math.toIntExact(act[i].length());
      }
      this.a = new float[widest(act)];
      this.d = new float[a.length];
    }

    @Override
    void relu(int i) {
      int n = length[i];
      act[i].get(0, a, 0, n);
      for (int k = 0; k < n; k++) {
        a[k] = Math.max(a[k], 0f);
      }
      act[i].put(0, a, 0, n);
    }

    @Override
    void maskByActive(int i) {
      int n = length[i];
      act[i].get(0, a, 0, n);
      delta[i].get(0, d, 0, n);
      for (int k = 0; k < n; k++) {
        d[k] = a[k] > 0f ? d[k] : 0f;
      }
      delta[i].put(0, d, 0, n);
    }
  }

  private static final class Doubles extends ReluRows {
    private final DoubleBuffer[] act;
    private final DoubleBuffer[] delta;
    private final int[] length;
    private final double[] a;
    private final double[] d;

    Doubles(INDArray[] act, INDArray[] delta) {
      this.act = new DoubleBuffer[act.length];
      this.delta = new DoubleBuffer[act.length];
      this.length = new int[act.length];
      for (int i = 0; i < act.length; i++) {
        this.act[i] = NativeDoubles.of(act[i]);
        this.delta[i] = NativeDoubles.of(delta[i]);
        this.length[i] = Math.toIntExact(act[i].length());
      }
      this.a = new double[widest(act)];
      this.d = new double[a.length];
    }

    @Override
    void relu(int i) {
      int n = length[i];
      act[i].get(0, a, 0, n);
      for (int k = 0; k < n; k++) {
        a[k] = Math.max(a[k], 0d);
      }
      act[i].put(0, a, 0, n);
    }

    @Override
    void maskByActive(int i) {
      int n = length[i];
      act[i].get(0, a, 0, n);
      delta[i].get(0, d, 0, n);
      for (int k = 0; k < n; k++) {
        d[k] = a[k] > 0d ? d[k] : 0d;
      }
      delta[i].put(0, d, 0, n);
    }
  }
}
