package io.tracecast.kernels.blas;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CPU backend's {@link DirectBlas}: the cblas routines of the OpenBLAS that nd4j-native
 * loads, called on the operands' native buffers in place. A class of its own so that the
 * OpenBLAS bindings are only loaded where that backend is (never on CUDA executors).
 */
final class OpenBlasGemm implements DirectBlas {
  @Override
  public boolean available() {
    return true;
  }

  @Override
  public void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
      Gemm.Block a, Gemm.Block b, float beta, Gemm.Block c) {
    openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans, m, n, k, alpha, pointer(a), (int) a.ld(),
        pointer(b), (int) b.ld(), beta, pointer(c), (int) c.ld());
  }

  /**
   * One product per example of dense rank-3 arrays ({@link Gemm#batched}), the pointers built
   * once: a pointer per operand and call cost about 1 us, as much as a 128 x 12 x 12 product.
   */
  @Override
  public void sgemmBatched(boolean transposeA, boolean transposeB, INDArray a, INDArray b,
      float alpha, float beta, INDArray c) {
    int m = (int) c.size(1);
    int n = (int) c.size(2);
    int k = (int) (transposeA ? a.size(1) : a.size(2));
    int lda = (int) a.size(2);
    int ldb = (int) b.size(2);
    FloatPointer pa = pointer(a);
    FloatPointer pb = pointer(b);
    FloatPointer pc = pointer(c);
    long a0 = pa.position();
    long b0 = pb.position();
    long c0 = pc.position();
    long strideA = a.size(1) * a.size(2);
    long strideB = b.size(1) * b.size(2);
    long strideC = (long) m * n;
    int ta = transposeA ? CblasTrans : CblasNoTrans;
    int tb = transposeB ? CblasTrans : CblasNoTrans;
    for (long i = 0; i < c.size(0); i++) {
      openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha,
          pa.position(a0 + i * strideA), lda, pb.position(b0 + i * strideB), ldb, beta,
          pc.position(c0 + i * strideC), n);
    }
  }

  /** n contiguous floats from src to dst (both blocks dense). */
  @Override
  public void scopy(int n, Gemm.Block src, Gemm.Block dst) {
    openblas_nolapack.cblas_scopy(n, pointer(src), 1, pointer(dst), 1);
  }

  private static FloatPointer pointer(Gemm.Block block) {
    FloatPointer p = pointer(block.base());
    return p.position(p.position() + block.offset());
  }

  /** y = alpha * op(A) x + beta * y (BLAS's gemv), A row-major [rows, cols], x and y dense. */
  @Override
  public void sgemv(boolean transposeA, int rows, int cols, float alpha, INDArray a, INDArray x,
      float beta, INDArray y) {
    openblas_nolapack.cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, rows,
        cols, alpha, pointer(a), (int) a.stride(0), pointer(x), 1, beta, pointer(y), 1);
  }

  /**
   * The address of element [0, 0]: ND4J's buffer base plus the array's offset (a view built on a
   * buffer gets a buffer of its own whose base already includes the offset; then both agree).
   */
  private static FloatPointer pointer(INDArray x) {
    Pointer base = x.data().addressPointer();
    long bytes = x.data().address() + x.offset() * 4 - base.address();
    return new FloatPointer(base).position(bytes / 4);
  }
}
