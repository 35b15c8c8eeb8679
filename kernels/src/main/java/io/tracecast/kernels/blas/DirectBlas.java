package io.tracecast.kernels.blas;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BLAS routines {@link Gemm} calls outside ND4J's op layer, by backend (DL4J's idea of a
 * helper per backend): on the CPU backend (nd4j-native) OpenBLAS's cblas routines on float32
 * operands in place ({@link OpenBlasGemm}); on any other backend (CUDA) none, so every product
 * takes ND4J's own ops, which run on the device. Chosen once per JVM by ND4J's
 * {@code Environment.isCPU()}, the backend's own answer, not a class name.
 */
interface DirectBlas {
  /** A backend without direct BLAS: {@link Gemm} falls back to ND4J for every product. */
  DirectBlas NONE = new DirectBlas() {
    @Override
    public boolean available() {
      return false;
    }

    @Override
    public void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
        Gemm.Block a, Gemm.Block b, float beta, Gemm.Block c) {
      throw new UnsupportedOperationException("no direct BLAS on this backend");
    }

    @Override
    public void sgemmBatched(boolean transposeA, boolean transposeB, INDArray a, INDArray b,
        float alpha, float beta, INDArray c) {
      throw new UnsupportedOperationException("no direct BLAS on this backend");
    }

    @Override
    public void scopy(int n, Gemm.Block src, Gemm.Block dst) {
      throw new UnsupportedOperationException("no direct BLAS on this backend");
    }

    @Override
    public void sgemv(boolean transposeA, int rows, int cols, float alpha, INDArray a,
        INDArray x, float beta, INDArray y) {
      throw new UnsupportedOperationException("no direct BLAS on this backend");
    }
  };

  /** The direct BLAS of the ND4J backend this JVM runs. */
  static DirectBlas forBackend() {
    return Nd4j.getEnvironment().isCPU() ? new OpenBlasGemm() : NONE;
  }

  /** Whether the routines below may be called. */
  boolean available();

  /** {@code c = alpha op(a) op(b) + beta c} on row-major float blocks. */
  void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
      Gemm.Block a, Gemm.Block b, float beta, Gemm.Block c);

  /** The same product per example of dense rank-3 float arrays ({@link Gemm#batched}). */
  void sgemmBatched(boolean transposeA, boolean transposeB, INDArray a, INDArray b, float alpha,
      float beta, INDArray c);

  /** {@code n} contiguous floats from src to dst (both blocks dense). */
  void scopy(int n, Gemm.Block src, Gemm.Block dst);

  /** {@code y = alpha op(A) x + beta y}, A row-major {@code [rows, cols]}, x and y dense. */
  void sgemv(boolean transposeA, int rows, int cols, float alpha, INDArray a, INDArray x,
      float beta, INDArray y);
}
