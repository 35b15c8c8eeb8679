package io.tracecast.training.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Gemm}'s direct call into the OpenBLAS that nd4j-native loads. A class of its own so that
 * the OpenBLAS bindings are only loaded where that backend is (never on CUDA executors).
 */
final class CblasSgemm {
  private CblasSgemm() {}

  static void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
      Gemm.Block a, Gemm.Block b, float beta, Gemm.Block c) {
    openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans, m, n, k, alpha, pointer(a), (int) a.ld(),
        pointer(b), (int) b.ld(), beta, pointer(c), (int) c.ld());
  }

  private static FloatPointer pointer(Gemm.Block block) {
    FloatPointer p = pointer(block.base());
    return p.position(p.position() + block.offset());
  }

  /** y = alpha * op(A) x + beta * y (BLAS's gemv), A row-major [rows, cols], x and y dense. */
  static void sgemv(boolean transposeA, int rows, int cols, float alpha, INDArray a, INDArray x,
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
