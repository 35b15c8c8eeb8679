package io.tracecast.kernels.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloatActivationsTest {
  /** Every float step of 1e-4 over [-30, 30] (600k points), plus the extremes. */
  private static final float STEP = 1e-4f;

  @Test
  void tanhIsWithinHalfAMillionthRelativeOfTheDoubleReference() {
    double worst = 0;
    for (int k = -300_000; k <= 300_000; k++) {
      float x = k * STEP;
      if (x == 0) {
        continue;
      }
      double exact = Math.tanh(x);
      worst = Math.max(worst, Math.abs(FloatActivations.tanh(x) - exact) / Math.abs(exact));
    }
    assertTrue(worst < 5e-7, "max relative error " + worst);
    assertEquals(0f, FloatActivations.tanh(0f));
    assertEquals(1f, FloatActivations.tanh(1e30f));
    assertEquals(-1f, FloatActivations.tanh(-1e30f));
  }

  @Test
  void sigmoidIsWithinThreeTenMillionthsOfTheDoubleReference() {
    double worst = 0;
    for (int k = -300_000; k <= 300_000; k++) {
      float z = k * STEP;
      double exact = 1 / (1 + Math.exp(-(double) z));
      worst = Math.max(worst, Math.abs(FloatActivations.sigmoid(z) - exact));
    }
    assertTrue(worst < 3e-7, "max absolute error " + worst);
    assertEquals(0.5f, FloatActivations.sigmoid(0f));
    assertEquals(1f, FloatActivations.sigmoid(1e30f));
    assertEquals(0f, FloatActivations.sigmoid(-1e30f));
  }

  @Test
  void sigmoidStaysInItsRangeAndIsSymmetric() {
    // Not strictly monotone: in the tails, where tanh(z/2) is within a few ulp of -1 or 1, the
    // rounding of the rational function steps by one ulp either way (seen at z = -15.81).
    for (int k = -400_000; k <= 400_000; k++) {
      float z = k * STEP;
      float v = FloatActivations.sigmoid(z);
      assertTrue(v >= 0 && v <= 1, "at " + z + ": " + v);
      assertEquals(1, v + FloatActivations.sigmoid(-z), 1.2e-7, "at " + z);
    }
  }
}
