package io.tracecast.kernels.blas;

import io.tracecast.kernels.buffer.OwnedBuffer;
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
  /** This JVM's backend's direct BLAS, chosen once ({@link DirectBlas#forBackend}). */
  private static final DirectBlas BLAS = DirectBlas.forBackend();
  private static final boolean DIRECT = BLAS.available();

  private Gemm() {}

  /**
   * A row-major {@code [rows, cols]} matrix inside {@code base}: its element [0, 0] is
   * {@code offset} elements after base's, its rows {@code ld} elements apart. The per-step
   * products name their operands this way: building an ND4J view per operand and step cost
   * about 4 % of the bilstm_attention fit (JFR, round 4).
   */
  public record Block(INDArray base, long offset, long rows, long cols, long ld) {
    public Block {
      if (offset < 0 || rows <= 0 || cols <= 0 || ld < cols
          || offset + (rows - 1) * ld + cols > span(base)) {
        throw new IllegalArgumentException("block of " + rows + " x " + cols + " at " + offset
            + " (row stride " + ld + ") outside " + base.shapeInfoToString());
      }
    }

    /** Elements from base's first to its last, wider than its length for a wide-row view. */
    private static long span(INDArray base) {
      long span = 1;
      for (int i = 0; i < base.rank(); i++) {
        span += (base.size(i) - 1) * base.stride(i);
      }
      return span;
    }

    /** A whole rank-2 matrix with contiguous rows. */
    public static Block of(INDArray matrix) {
      if (matrix.rank() != 2 || matrix.stride(1) != 1) {
        throw new IllegalArgumentException("not a matrix with contiguous rows: "
            + matrix.shapeInfoToString());
      }
      // ND4J gives a one-row matrix any row stride (often 1); its row is still contiguous.
      long ld = matrix.size(0) == 1 ? matrix.size(1) : matrix.stride(0);
      return new Block(matrix, 0, matrix.size(0), matrix.size(1), ld);
    }

    /** The same matrix as an ND4J view (the fallback path). */
    INDArray view() {
      if (offset == 0 && base.rank() == 2 && base.size(0) == rows && base.size(1) == cols
          && base.stride(0) == ld && base.stride(1) == 1) {
        return base;
      }
      return Nd4j.create(base.data(), new long[] {rows, cols}, new long[] {ld, 1},
          base.offset() + offset, 'c');
    }

    private boolean direct() {
      return base.dataType() == DataType.FLOAT && base.stride(base.rank() - 1) == 1
          && base.ordering() == 'c' && (base.rank() == 2 || !base.isView());
    }
  }

  /** {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, double, double)} on blocks. */
  public static void gemm(Block a, Block b, Block c, boolean transposeA, boolean transposeB,
      double alpha, double beta) {
    if (DIRECT && a.direct() && b.direct() && c.direct()) {
      long k = innerDimension("gemm", a.rows(), a.cols(), transposeA, b.rows(), b.cols(),
          transposeB, c.rows(), c.cols());
      BLAS.sgemm(transposeA, transposeB, (int) c.rows(), (int) c.cols(), (int) k,
          (float) alpha, a, b, (float) beta, c);
      return;
    }
    Nd4j.gemm(a.view(), b.view(), c.view(), transposeA, transposeB, alpha, beta);
  }

  /**
   * The same contract as {@link Nd4j#gemm(INDArray, INDArray, INDArray, boolean, boolean,
   * double, double)}: C is {@code [m, n]}, A {@code [m, k]} ({@code [k, m]} if transposed), B
   * {@code [k, n]} ({@code [n, k]} if transposed).
   */
  public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA,
      boolean transposeB, double alpha, double beta) {
    if (DIRECT && rowMajorFloat(a) && rowMajorFloat(b) && rowMajorFloat(c)) {
      gemm(Block.of(a), Block.of(b), Block.of(c), transposeA, transposeB, alpha, beta);
      return;
    }
    Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
  }

  /** {@code dst = src} for two blocks of the same shape. */
  public static void copy(Block src, Block dst) {
    if (src.rows() != dst.rows() || src.cols() != dst.cols()) {
      throw new IllegalArgumentException("copy: " + shape(src.rows(), src.cols(), false) + " -> "
          + shape(dst.rows(), dst.cols(), false));
    }
    if (DIRECT && src.direct() && dst.direct() && src.ld() == src.cols()
        && dst.ld() == dst.cols()) {
      BLAS.scopy((int) (src.rows() * src.cols()), src, dst);
      return;
    }
    dst.view().assign(src.view());
  }

  /**
   * The same product per example of rank-3 arrays: {@code C[i] = alpha op(A[i]) op(B[i]) + beta
   * C[i]} for every i along dimension 0 (the batched product of attention layers). On the CPU
   * backend, dense c-order float arrays take one {@code cblas_sgemm} per example: ND4J's batched
   * matmul took about 0.8 ms for a batch of 256 [128 x 12] x [12 x 12] products that the loop
   * computes in 0.4 (bench/README.md, issue 11, round 5). Otherwise one batched
   * {@link Nd4j#matmul} (one kernel on CUDA), then the scaling.
   */
  public static void batched(INDArray a, INDArray b, INDArray c, boolean transposeA,
      boolean transposeB, double alpha, double beta) {
    long n = c.size(0);
    if (a.rank() != 3 || b.rank() != 3 || c.rank() != 3 || a.size(0) != n || b.size(0) != n) {
      throw new IllegalArgumentException("batched gemm: " + a.shapeInfoToString() + " x "
          + b.shapeInfoToString() + " -> " + c.shapeInfoToString());
    }
    innerDimension("batched gemm", a.size(1), a.size(2), transposeA, b.size(1), b.size(2),
        transposeB, c.size(1), c.size(2));
    if (DIRECT && denseFloat(a) && denseFloat(b) && denseFloat(c)) {
      BLAS.sgemmBatched(transposeA, transposeB, a, b, (float) alpha, (float) beta, c);
      return;
    }
    if (alpha == 1 && beta == 0) {
      Nd4j.matmul(a, b, c, transposeA, transposeB, false);
      return;
    }
    INDArray product = Nd4j.matmul(a, b, transposeA, transposeB, false);
    c.muli(beta).addi(product.muli(alpha));
  }

  private static boolean denseFloat(INDArray x) {
    return x.dataType() == DataType.FLOAT && OwnedBuffer.owns(x);
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
      throw new IllegalArgumentException("gemv: " + shape(x.size(0), x.size(1), false) + " x "
          + shape(a.size(0), a.size(1), transposeA) + " -> " + shape(y.size(0), y.size(1), false)
          + " do not match");
    }
    if (DIRECT && rowMajorFloat(a) && contiguousFloatRow(x) && contiguousFloatRow(y)) {
      BLAS.sgemv(!transposeA, (int) a.size(0), (int) a.size(1), (float) alpha, a, x,
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

  /**
   * k of {@code C [m, n] = op(A) [m, k] op(B) [k, n]} for the operands' stored shapes; throws,
   * naming the operation, where they do not match.
   */
  private static long innerDimension(String op, long aRows, long aCols, boolean transposeA,
      long bRows, long bCols, boolean transposeB, long cRows, long cCols) {
    long k = transposeA ? aRows : aCols;
    if ((transposeA ? aCols : aRows) != cRows || (transposeB ? bCols : bRows) != k
        || (transposeB ? bRows : bCols) != cCols) {
      throw new IllegalArgumentException(op + ": shapes " + shape(aRows, aCols, transposeA)
          + " x " + shape(bRows, bCols, transposeB) + " -> " + shape(cRows, cCols, false)
          + " do not match");
    }
    return k;
  }

  private static String shape(long rows, long cols, boolean transposed) {
    return transposed ? "[" + cols + ", " + rows + "]^T" : "[" + rows + ", " + cols + "]";
  }
}
