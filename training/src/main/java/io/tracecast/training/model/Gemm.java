package io.tracecast.training.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = alpha * op(A) op(B) + beta * C} for the hand-written layers' per-step products: on
 * the CPU backend (nd4j-native), float32 matrices whose rows are contiguous go straight to the
 * OpenBLAS {@code cblas_sgemm} that ND4J itself calls, everything else (double precision, the
 * CUDA backend, other strides) through {@link Nd4j#gemm}. Measured on the bilstm_attention fit
 * (bench/README.md, issue 11, round 4): {@code Nd4j.gemm} spent 20-35 us per call in Java
 * (argument checks, op context, its own view handling) on a 256 x 64 x 256 product that OpenBLAS
 * computes in 86-88 us, and the LSTM issues about a hundred of those per minibatch.
 */
public final class Gemm {
  private static final boolean DIRECT = "org.nd4j.linalg.cpu.nativecpu.CpuBackend"
      .equals(Nd4j.getBackend().getClass().getName());

  private Gemm() {}

  /**
   * The same contract as {@link Nd4j#gemm(INDArray, INDArray, INDArray, boolean, boolean,
   * double, double)}: C is {@code [m, n]}, A {@code [m, k]} ({@code [k, m]} if transposed), B
   * {@code [k, n]} ({@code [n, k]} if transposed).
   */
  public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA,
      boolean transposeB, double alpha, double beta) {
    if (DIRECT && rowMajorFloat(a) && rowMajorFloat(b) && rowMajorFloat(c)) {
      long m = c.size(0);
      long n = c.size(1);
      long k = transposeA ? a.size(0) : a.size(1);
      if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(1) : b.size(0)) != k
          || (transposeB ? b.size(0) : b.size(1)) != n) {
        throw new IllegalArgumentException("gemm: shapes " + shape(a, transposeA) + " x "
            + shape(b, transposeB) + " -> " + shape(c, false) + " do not match");
      }
      CblasSgemm.sgemm(transposeA, transposeB, (int) m, (int) n, (int) k, (float) alpha, a,
          b, (float) beta, c);
      return;
    }
    Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
  }

  /**
   * {@code y = alpha * x op(A) + beta * y} for row vectors x and y ({@code [1, m]} and
   * {@code [1, n]} for A {@code [m, n]}; transposed A swaps m and n), i.e. BLAS's gemv of
   * {@code op(A)^T}: the column sums of A with x a row of ones. OpenBLAS 0.3.19's sgemm runs
   * such a one-row product at 2 GFMA/s; its sgemv streams A once.
   */
  public static void gemv(INDArray x, INDArray a, INDArray y, boolean transposeA, double alpha,
      double beta) {
    long m = transposeA ? a.size(1) : a.size(0);
    long n = transposeA ? a.size(0) : a.size(1);
    if (x.rank() != 2 || x.size(0) != 1 || x.size(1) != m || y.rank() != 2 || y.size(0) != 1
        || y.size(1) != n) {
      throw new IllegalArgumentException("gemv: " + shape(x, false) + " x "
          + shape(a, transposeA) + " -> " + shape(y, false) + " do not match");
    }
    if (DIRECT && rowMajorFloat(a) && contiguousFloatRow(x) && contiguousFloatRow(y)) {
      CblasSgemm.sgemv(!transposeA, (int) a.size(0), (int) a.size(1), (float) alpha, a, x,
          (float) beta, y);
      return;
    }
    Nd4j.gemm(x, a, y, false, transposeA, alpha, beta);
  }

  private static boolean contiguousFloatRow(INDArray v) {
    return v.dataType() == DataType.FLOAT && v.stride(1) == 1;
  }

  /** A float matrix that row-major BLAS can read in place: rows contiguous, any row stride. */
  private static boolean rowMajorFloat(INDArray x) {
    return x.dataType() == DataType.FLOAT && x.rank() == 2 && x.stride(1) == 1
        && x.stride(0) >= x.size(1) && x.size(0) > 0 && x.size(1) > 0;
  }

  private static String shape(INDArray x, boolean transposed) {
    return transposed ? "[" + x.size(1) + ", " + x.size(0) + "]^T"
        : "[" + x.size(0) + ", " + x.size(1) + "]";
  }
}
