package io.tracecast.kernels.conv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise part of {@link FusedConv1dLayer} on heap arrays: im2col, bias and ReLU,
 * the ReLU's gradient and col2im, between the network's NCW tensors and the native matrices the
 * layer's GEMMs run on. One implementation per precision: {@link FloatConvColumns} (float
 * networks, every network tracecast builds) and {@link DoubleConvColumns} (the gradient-checked
 * path). Each keeps the last forward pass's output for backward's ReLU mask.
 *
 * <p>Native matrices (c order, owning their whole buffer, the network's data type), with
 * {@code n = batch * steps} columns, column {@code b * steps + t} for example b at step t:
 * the columns {@code [kernel * nIn, n]}, row {@code j * nIn + c} holding
 * {@code x[b, c, t + j - padBefore]} (0 in the padding); the product and its gradient
 * {@code [filters, n]}. So the forward product is {@code M^T columns} with M the weights'
 * buffer as DL4J's convolution reads it, {@code [kernel * nIn, filters]} ({@link
 * FusedConv1dParams}), and the output's NCW order is one permute of the product's rows.
 */
abstract sealed class ConvColumns permits FloatConvColumns, DoubleConvColumns {
  final int batch;
  final int nIn;
  final int steps;
  final int kernel;
  final int filters;
  /** DL4J's same padding: the zeros before step 0; {@code kernel - 1 - padBefore} after. */
  final int padBefore;

  ConvColumns(int batch, int nIn, int steps, int kernel, int filters) {
    this.batch = batch;
    this.nIn = nIn;
    this.steps = steps;
    this.kernel = kernel;
    this.filters = filters;
    this.padBefore = (kernel - 1) / 2;
  }

  static ConvColumns of(DataType type, int batch, int nIn, int steps, int kernel, int filters) {
    return switch (type) {
      case FLOAT -> new FloatConvColumns(batch, nIn, steps, kernel, filters);
      case DOUBLE -> new DoubleConvColumns(batch, nIn, steps, kernel, filters);
      default -> throw new IllegalArgumentException("FusedConv1d supports float and double, got "
          + type);
    };
  }

  abstract DataType dataType();

  boolean fits(DataType type, int batch, int nIn, int steps, int kernel, int filters) {
    return dataType() == type && this.batch == batch && this.nIn == nIn && this.steps == steps
        && this.kernel == kernel && this.filters == filters;
  }

  /** Rows of the column matrix: input channels times kernel offsets. */
  int rows() {
    return nIn * kernel;
  }

  /** Columns of the column and product matrices: examples times steps. */
  int columns() {
    return batch * steps;
  }

  /** First step t whose input {@code t + j - padBefore} exists, for kernel offset j. */
  int firstStep(int j) {
    return Math.max(0, padBefore - j);
  }

  /** One past the last such step. */
  int endStep(int j) {
    return Math.min(steps, steps + padBefore - j);
  }

  /** The columns (see above) of the NCW input {@code [batch, nIn, steps]} into {@code cols}. */
  abstract void im2col(INDArray ncw, INDArray cols);

  /**
   * {@code out[b, o, t] = max(0, product[o, b*steps + t] + bias[o])} into the NCW output
   * {@code [batch, filters, steps]}, kept for {@link #preActivationGradient}; {@code bias} is a
   * {@code [1, filters]} array of its own.
   */
  abstract void activate(INDArray product, INDArray bias, INDArray out);

  /**
   * The gradient of the pre-activation into {@code dz [filters, n]}: the NCW epsilon where the
   * last forward's output is positive, 0 elsewhere (DL4J's ReLU derivative, 0 at 0).
   */
  abstract void preActivationGradient(INDArray epsilon, INDArray dz);

  /**
   * The inverse of {@link #im2col} for gradients: each column entry's gradient added to the
   * input element it was copied from, into the NCW {@code eps [batch, nIn, steps]}.
   */
  abstract void col2im(INDArray dcols, INDArray eps);
}
