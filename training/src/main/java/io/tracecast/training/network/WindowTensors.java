package io.tracecast.training.network;

import io.tracecast.training.kind.ModelSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns dataset windows into the tensors every network built by {@link NetworkBuilder} takes.
 *
 * <p>The dataset stores {@code inputs} flat and time-major: element {@code t * F + f} is feature
 * {@code f} at step {@code t} (t = 0 oldest). DL4J's recurrent layers want NCW, i.e.
 * {@code [batch, features, time]}, so element {@code (b, f, t)} of the features tensor is
 * {@code inputs_b[t * F + f]}. This is a transpose of each window's {@code [T, F]} matrix, not a
 * plain reshape: reshaping the flat array to {@code [F, T]} would mix steps and features.
 * Dense-only models flatten the NCW tensor again inside the graph, so one layout serves all.
 *
 * <p>Labels: {@code targets} is {@code horizon x targets}, flat; with Q quantile outputs, label
 * column {@code j * Q + q} repeats target value {@code j} so that output column
 * {@code j * Q + q} is the level-q quantile of value j (the layout {@link
 * io.tracecast.training.loss.PinballLoss} expects).
 */
public final class WindowTensors {
  private WindowTensors() {}

  /** {@code [batch, features, lookback]} float tensor from flat time-major input arrays. */
  public static INDArray features(List<float[]> inputs, NetworkShape shape) {
    int f = shape.features();
    int t = shape.lookback();
    float[] buf = new float[inputs.size() * f * t];
    for (int b = 0; b < inputs.size(); b++) {
      float[] in = inputs.get(b);
      requireLength(in, shape.inputLength(), "inputs", b);
      int base = b * f * t;
      for (int step = 0; step < t; step++) {
        for (int feat = 0; feat < f; feat++) {
          float x = in[step * f + feat];
          buf[base + feat * t + step] = shape.squashInputs() ? asinh(x) : x;
        }
      }
    }
    return Nd4j.create(buf, new long[] {inputs.size(), f, t}, 'c');
  }

  /**
   * A network's {@code [rows, outputs]} output (windows, or a panel's node windows) as one array
   * per row, through one bulk copy: {@code INDArray.toFloatMatrix} copies each row through a
   * view of its own, which costs several times the forward pass of a small network.
   */
  public static float[][] rows(INDArray output) {
    if (output.rank() != 2) {
      throw new IllegalArgumentException("expected a [rows, outputs] output, got shape "
          + Arrays.toString(output.shape()));
    }
    int n = (int) output.size(0);
    int k = (int) output.size(1);
    float[] flat = output.castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[][] out = new float[n][];
    for (int r = 0; r < n; r++) {
      out[r] = Arrays.copyOfRange(flat, r * k, (r + 1) * k);
    }
    return out;
  }

  /** asinh(x) = sign(x) ln(|x| + sqrt(x^2 + 1)), odd and exact at 0. */
  static float asinh(float x) {
    double a = Math.abs(x);
    return (float) Math.copySign(Math.log(a + Math.sqrt(a * a + 1)), x);
  }

  /** {@code [batch, horizon * targets * outputsPerTarget]} labels, each value repeated. */
  public static INDArray labels(List<float[]> targets, NetworkShape shape, int outputsPerTarget) {
    int n = shape.targetLength();
    float[] buf = new float[targets.size() * n * outputsPerTarget];
    for (int b = 0; b < targets.size(); b++) {
      float[] y = targets.get(b);
      requireLength(y, n, "targets", b);
      for (int j = 0; j < n; j++) {
        for (int q = 0; q < outputsPerTarget; q++) {
          buf[(b * n + j) * outputsPerTarget + q] = y[j];
        }
      }
    }
    return Nd4j.create(buf, new long[] {targets.size(), (long) n * outputsPerTarget}, 'c');
  }

  public static DataSet dataSet(List<float[]> inputs, List<float[]> targets, NetworkShape shape,
      ModelSpec spec) {
    if (inputs.size() != targets.size()) {
      throw new IllegalArgumentException(inputs.size() + " input windows but " + targets.size()
          + " target windows");
    }
    return new DataSet(features(inputs, shape), labels(targets, shape, spec.outputsPerTarget()));
  }

  private static void requireLength(float[] a, int expected, String what, int row) {
    if (a == null || a.length != expected) {
      throw new IllegalArgumentException("window " + row + ": " + what + " has "
          + (a == null ? "no" : a.length) + " values, expected " + expected);
    }
  }
}
