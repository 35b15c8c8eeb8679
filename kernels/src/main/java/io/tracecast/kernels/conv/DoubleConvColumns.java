package io.tracecast.kernels.conv;

import io.tracecast.kernels.buffer.NativeDoubles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ConvColumns} for float64 networks (the gradient checks): {@link FloatConvColumns}'
 * loops on {@code double[]}.
 */
final class DoubleConvColumns extends ConvColumns {
  /** The NCW input, then (backward) the input epsilon. */
  private final double[] x;
  /**
   * The columns: written only inside the steps each offset reaches, so the padding stays the
   * zero it was allocated with.
   */
  private final double[] cols;
  /** Their gradient. */
  private final double[] dcols;
  /** The product {@code [filters, n]}, then (backward) the pre-activation gradient. */
  private final double[] product;
  /** The output of the last forward pass (NCW), the ReLU mask of backward. */
  private final double[] out;
  /** The NCW epsilon of the output. */
  private final double[] epsilon;
  private final double[] bias;

  DoubleConvColumns(int batch, int nIn, int steps, int kernel, int filters) {
    super(batch, nIn, steps, kernel, filters);
    x = new double[batch * nIn * steps];
    cols = new double[rows() * columns()];
    dcols = new double[rows() * columns()];
    product = new double[filters * columns()];
    out = new double[batch * filters * steps];
    epsilon = new double[batch * filters * steps];
    bias = new double[filters];
  }

  @Override
  DataType dataType() {
    return DataType.DOUBLE;
  }

  @Override
  void im2col(INDArray ncw, INDArray colsArray) {
    NativeDoubles.of(ncw).get(0, x, 0, x.length);
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
    NativeDoubles.of(colsArray).put(0, cols, 0, cols.length);
  }

  @Override
  void activate(INDArray productArray, INDArray biasArray, INDArray outArray) {
    NativeDoubles.of(productArray).get(0, product, 0, product.length);
    NativeDoubles.of(biasArray).get(0, bias, 0, filters);
    int n = columns();
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < filters; o++) {
        int to = (b * filters + o) * steps;
        int from = o * n + b * steps;
        double bo = bias[o];
        for (int t = 0; t < steps; t++) {
          out[to + t] = Math.max(0.0, product[from + t] + bo);
        }
      }
    }
    NativeDoubles.of(outArray).put(0, out, 0, out.length);
  }

  @Override
  void preActivationGradient(INDArray epsilonArray, INDArray dz) {
    NativeDoubles.of(epsilonArray).get(0, epsilon, 0, epsilon.length);
    int n = columns();
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < filters; o++) {
        int from = (b * filters + o) * steps;
        int to = o * n + b * steps;
        for (int t = 0; t < steps; t++) {
          product[to + t] = out[from + t] > 0.0 ? epsilon[from + t] : 0.0;
        }
      }
    }
    NativeDoubles.of(dz).put(0, product, 0, product.length);
  }

  @Override
  void col2im(INDArray dcolsArray, INDArray eps) {
    NativeDoubles.of(dcolsArray).get(0, dcols, 0, dcols.length);
    java.util.Arrays.fill(x, 0.0);
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
    NativeDoubles.of(eps).put(0, x, 0, x.length);
  }
}
