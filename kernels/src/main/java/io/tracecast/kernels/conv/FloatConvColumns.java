package io.tracecast.kernels.conv;

import io.tracecast.kernels.buffer.NativeFloats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ConvColumns} for float32 networks: one bulk copy in or out of native memory per matrix
 * and plain loops over {@code float[]} (per-element native access costs 5-8 ns: bench/README.md,
 * issue 11). The same loops as {@link DoubleConvColumns}, which the tests check this against
 * through DL4J's own convolution.
 */
final class FloatConvColumns extends ConvColumns {
  /** The NCW input, then (backward) the input epsilon. */
  private final float[] x;
  /**
   * The columns: written only inside the steps each offset reaches, so the padding stays the
   * zero it was allocated with.
   */
  private final float[] cols;
  /** Their gradient. */
  private final float[] dcols;
  /** The product {@code [filters, n]}, then (backward) the pre-activation gradient. */
  private final float[] product;
  /** The output of the last forward pass (NCW), the ReLU mask of backward. */
  private final float[] out;
  /** The NCW epsilon of the output. */
  private final float[] epsilon;
  private final float[] bias;

  FloatConvColumns(int batch, int nIn, int steps, int kernel, int filters) {
    super(batch, nIn, steps, kernel, filters);
    x = new float[batch * nIn * steps];
    cols = new float[rows() * columns()];
    dcols = new float[rows() * columns()];
    product = new float[filters * columns()];
    out = new float[batch * filters * steps];
    epsilon = new float[batch * filters * steps];
    bias = new float[filters];
  }

  @Override
  DataType dataType() {
    return DataType.FLOAT;
  }

  @Override
  void im2col(INDArray ncw, INDArray colsArray) {
    NativeFloats.of(ncw).get(0, x, 0, x.length);
    int n = columns();
    for (int c = 0; c < nIn; c++) {
      for (int j = 0; j < kernel; j++) {
        int from = firstStep(j);
        int length = endStep(j) - from;
        int row = (j * nIn + c) * n;
        for (int b = 0; b < batch; b++) {
          System.arraycopy(x, (b * nIn + c) * steps + from + j - padBefore, cols,
              row + b * steps + from, length);
        }
      }
    }
    NativeFloats.of(colsArray).put(0, cols, 0, cols.length);
  }

  @Override
  void activate(INDArray productArray, INDArray biasArray, INDArray outArray) {
    NativeFloats.of(productArray).get(0, product, 0, product.length);
    NativeFloats.of(biasArray).get(0, bias, 0, filters);
    int n = columns();
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < filters; o++) {
        int to = (b * filters + o) * steps;
        int from = o * n + b * steps;
        float bo = bias[o];
        for (int t = 0; t < steps; t++) {
          out[to + t] = Math.max(0f, product[from + t] + bo);
        }
      }
    }
    NativeFloats.of(outArray).put(0, out, 0, out.length);
  }

  @Override
  void preActivationGradient(INDArray epsilonArray, INDArray dz) {
    NativeFloats.of(epsilonArray).get(0, epsilon, 0, epsilon.length);
    int n = columns();
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < filters; o++) {
        int from = (b * filters + o) * steps;
        int to = o * n + b * steps;
        for (int t = 0; t < steps; t++) {
          product[to + t] = out[from + t] > 0f ? epsilon[from + t] : 0f;
        }
      }
    }
    NativeFloats.of(dz).put(0, product, 0, product.length);
  }

  @Override
  void col2im(INDArray dcolsArray, INDArray eps) {
    NativeFloats.of(dcolsArray).get(0, dcols, 0, dcols.length);
    java.util.Arrays.fill(x, 0f);
    int n = columns();
    for (int c = 0; c < nIn; c++) {
      for (int j = 0; j < kernel; j++) {
        int from = firstStep(j);
        int end = endStep(j);
        int row = (j * nIn + c) * n;
        int shift = j - padBefore;
        for (int b = 0; b < batch; b++) {
          int xo = (b * nIn + c) * steps + shift;
          int co = row + b * steps;
          for (int t = from; t < end; t++) {
            x[xo + t] += dcols[co + t];
          }
        }
      }
    }
    NativeFloats.of(eps).put(0, x, 0, x.length);
  }
}
