package io.tracecast.kernels.attention;

import io.tracecast.kernels.blas.Gemm;
import io.tracecast.kernels.buffer.NativeFloats;
import io.tracecast.kernels.buffer.OwnedBuffer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SoftmaxBp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network-side implementation of {@link DotProductSelfAttention}, per batch {@code X} of
 * shape {@code [b, F, T]}: scores {@code S = X^T X / sqrt(F)} ({@code [b, T, T]}, symmetric),
 * weights {@code A = softmax(S)} over the last axis (keys), output {@code X A^T}. Backward, for
 * the output gradient {@code G}: {@code dA = G^T X}, {@code dS = softmax_bp(S, dA) / sqrt(F)},
 * and since X is query, key and value at once,
 * {@code dX = G A + X (dS + dS^T)}. Each product is one {@link Gemm#batched} call (the scale
 * 1/sqrt(F) is its alpha); forward keeps S and A in the ACTIVATIONS workspace for backward when
 * training.
 */
final class DotProductSelfAttentionLayer extends AbstractLayer<DotProductSelfAttention> {
  private static final long serialVersionUID = 1L;

  /** Scaled scores and weights of the last training forward pass, for its input. */
  private transient INDArray passInput;
  private transient INDArray scores;
  private transient INDArray weights;

  DotProductSelfAttentionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public Layer.Type type() {
    return Layer.Type.RECURRENT;
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public void clearNoiseWeightParams() {
    // no parameters
  }

  private double scale() {
    return 1.0 / Math.sqrt(input.size(1));
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    applyDropOutIfNecessary(training, mgr);
    if (maskArray != null) {
      throw new UnsupportedOperationException("DotProductSelfAttention "
          + layerConf().getLayerName() + ": masks are not supported");
    }
    INDArray x = OwnedBuffer.of(input, dataType);
    ArrayType keep = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
    long b = x.size(0);
    long t = x.size(2);
    INDArray s = mgr.createUninitialized(keep, dataType, new long[] {b, t, t}, 'c');
    Gemm.batched(x, x, s, true, false, scale(), 0);
    INDArray a = mgr.createUninitialized(keep, dataType, new long[] {b, t, t}, 'c');
    Nd4j.exec(new SoftMax(s, a, 2));
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    Gemm.batched(x, a, out, false, true, 1, 0);
    if (training) {
      passInput = input;
      scores = s;
      weights = a;
    } else {
      clearPass();
    }
    return out;
  }

  private void clearPass() {
    passInput = null;
    scores = null;
    weights = null;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    if (passInput != input) {
      activate(true, mgr);
    }
    // Buffers of their own: Gemm.batched's direct path addresses examples by offset.
    INDArray x = OwnedBuffer.of(input, dataType);
    INDArray g = OwnedBuffer.of(epsilon, dataType);
    long b = x.size(0);
    long t = x.size(2);
    INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    Gemm.batched(g, weights, dx, false, false, 1, 0);
    INDArray dA = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
        new long[] {b, t, t}, 'c');
    Gemm.batched(g, x, dA, true, false, 1, 0);
    // dS + dS^T (the scale goes into the product): S is symmetric in X (query and key are the
    // same input).
    INDArray sym;
    if (dataType == DataType.FLOAT) {
      sym = softmaxBackwardSymmetric(weights, dA);
    } else {
      INDArray dS = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
          new long[] {b, t, t}, 'c');
      Nd4j.exec(new SoftmaxBp(scores, dA, dS, 2));
      sym = dA.assign(dS.permute(0, 2, 1)).addi(dS);
    }
    Gemm.batched(x, sym, dx, false, false, scale(), 1);
    clearPass();
    return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(dx));
  }

  // Float networks: the softmax's backward and the symmetrisation as loops over heap copies of
  // the [b, T, T] blocks: 97-109 us per minibatch of 256 x 12 x 12 against 319-357 for ND4J's
  // softmax_bp, permute-assign and add (microbenchmark, bench/README.md, issue 11, round 5). The
  // forward softmax stays ND4J's (231-277 us against 294-331 for a loop on Math.exp). Double
  // networks (the gradient checks) keep ND4J's ops.

  /**
   * For weights A and their gradient dA ([b, T, T], float): the softmax's backward
   * {@code dS = A * (dA - rowsum(A * dA))} and then {@code dS + dS^T} per example, written over
   * dA, which it returns.
   */
  private static INDArray softmaxBackwardSymmetric(INDArray weights, INDArray dA) {
    int t = (int) dA.size(2);
    int n = (int) dA.length();
    float[] a = new float[n];
    float[] g = new float[n];
    NativeFloats.of(weights).get(0, a, 0, n);
    NativeFloats.of(dA).get(0, g, 0, n);
    for (int r = 0; r < n; r += t) {
      float dot = 0;
      for (int k = 0; k < t; k++) {
        dot += a[r + k] * g[r + k];
      }
      for (int k = 0; k < t; k++) {
        a[r + k] *= g[r + k] - dot;
      }
    }
    // a now holds dS; g receives dS + dS^T.
    for (int e = 0; e < n; e += t * t) {
      for (int q = 0; q < t; q++) {
        for (int k = 0; k < t; k++) {
          g[e + q * t + k] = a[e + q * t + k] + a[e + k * t + q];
        }
      }
    }
    NativeFloats.of(dA).put(0, g, 0, n);
    return dA;
  }

  @Override
  public void clear() {
    super.clear();
    clearPass();
  }
}
