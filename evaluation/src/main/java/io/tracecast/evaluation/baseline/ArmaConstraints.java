package io.tracecast.evaluation.baseline;

/**
 * The admissible region of ARMA coefficients. The AR polynomial 1 - φ1 z - ... - φp z^p must be
 * stationary and the MA polynomial 1 + θ1 z + ... + θq z^q invertible: every inverse root inside
 * the unit circle. A margin ({@link #MAX_INVERSE_ROOT}) keeps CSS fits off the boundary, where the
 * residual recursion no longer forgets its zero start and the AR part no longer reverts to a mean.
 */
final class ArmaConstraints {
  static final double MAX_INVERSE_ROOT = 0.995;

  private ArmaConstraints() {}

  static boolean isStationary(double[] ar) {
    return inverseRootsInside(ar, MAX_INVERSE_ROOT);
  }

  static boolean isInvertible(double[] ma) {
    return inverseRootsInside(negated(ma), MAX_INVERSE_ROOT);
  }

  /** The AR coefficients, or the nearest stationary ones along the root-shrinking path. */
  static double[] stationary(double[] ar) {
    return isStationary(ar) ? ar : shrunkInside(ar, false);
  }

  /** The MA coefficients, or the nearest invertible ones along the root-shrinking path. */
  static double[] invertible(double[] ma) {
    return isInvertible(ma) ? ma : shrunkInside(ma, true);
  }

  /**
   * True when every inverse root of 1 - a1 z - ... - ak z^k has modulus below {@code radius}.
   * Dividing a_j by radius^j divides the inverse roots by radius, so this is the Schur–Cohn test
   * (the backward Durbin–Levinson recursion: stable iff every reflection coefficient is inside
   * (-1, 1)) on the rescaled polynomial. Exact and O(k²), no root finding.
   */
  static boolean inverseRootsInside(double[] a, double radius) {
    double[] b = new double[a.length];
    double scale = 1;
    for (int j = 0; j < a.length; j++) {
      scale /= radius;
      b[j] = a[j] * scale;
    }
    for (int m = b.length; m >= 1; m--) {
      double r = b[m - 1];
      if (!(Math.abs(r) < 1)) {
        return false;
      }
      double[] lower = new double[m - 1];
      for (int j = 1; j < m; j++) {
        lower[j - 1] = (b[j - 1] + r * b[m - j - 1]) / (1 - r * r);
      }
      b = lower;
    }
    return true;
  }

  /**
   * Multiplying a_j by c^j multiplies every inverse root by c, so bisection on c finds the
   * largest contraction that brings the polynomial inside the margin.
   */
  private static double[] shrunkInside(double[] a, boolean maSign) {
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 50; i++) {
      double c = (lo + hi) / 2;
      double[] candidate = contracted(a, c);
      boolean inside = maSign ? isInvertible(candidate) : isStationary(candidate);
      if (inside) {
        lo = c;
      } else {
        hi = c;
      }
    }
    return contracted(a, lo);
  }

  private static double[] contracted(double[] a, double c) {
    double[] out = new double[a.length];
    double power = 1;
    for (int j = 0; j < a.length; j++) {
      power *= c;
      out[j] = a[j] * power;
    }
    return out;
  }

  private static double[] negated(double[] a) {
    double[] out = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      out[j] = -a[j];
    }
    return out;
  }
}
