package io.tracecast.kernels.activation;

/**
 * Float32 tanh and sigmoid as branch-free rational functions, so the recurrent layers' step
 * loops (the fused LSTM's {@code FloatCellSteps}, the fused GRU's {@code FloatGruCells}) need no
 * native op: C2 vectorises a loop of these (about 0.5 ns per element on one AVX-512 core,
 * measured), where each native ND4J sigmoid or tanh call cost 15-20 us of Java dispatch plus the
 * element work. A range-reduced exp ({@code 2^k * p(r)}) was
 * measured too and not kept: its float/int bit moves stop C2's vectoriser (6 ns per element).
 *
 * <p>tanh is the [13/6] odd rational minimax approximation on [-7.9053, 7.9053] that Eigen uses
 * for float (outside that range float tanh is +-1 to within 2^-24); sigmoid is
 * {@code (1 + tanh(z/2)) / 2}. Accuracy against double-precision references over a dense grid
 * ({@code FloatActivationsTest}): tanh within 5e-7 relative, sigmoid within 3e-7 absolute (its
 * relative error grows where sigmoid is below ~1e-6, which no recurrent layer's output or gradient can tell
 * apart from the exact value at float precision).
 */
public final class FloatActivations {
  /** Where the rational tanh reaches 1 in float; inputs beyond it are clamped. */
  private static final float TANH_CLAMP = 7.90531110763549805f;

  private FloatActivations() {}

  public static float tanh(float x) {
    float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
    float x2 = c * c;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return c * p / q;
  }

  public static float sigmoid(float z) {
    return 0.5f + 0.5f * tanh(0.5f * z);
  }
}
