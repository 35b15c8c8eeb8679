package io.tracecast.training.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PinballLossTest {
  private static final double[] LEVELS = {0.1, 0.5, 0.9};
  private final PinballLoss loss = new PinballLoss(LEVELS);

  /**
   * Two examples, one target, three quantile columns each. Labels repeat the true value.
   * Example 1: y = 1, yhat = (0.5, 1.0, 2.0): residuals u = (0.5, 0, -1).
   *   losses: 0.1 * 0.5 = 0.05; tie 0; (0.9 - 1) * -1 = 0.1  -> mean over 3 columns 0.05
   *   gradients dL/dyhat / 3: -0.1, 0.5 - 0.5 = 0 (tie), 1 - 0.9 = 0.1
   * Example 2: y = 2, yhat = (3, 1, 2): u = (-1, 1, 0).
   *   losses: 0.9 * 1 = 0.9; 0.5 * 1 = 0.5; tie 0 -> mean 1.4 / 3
   *   gradients / 3: 1 - 0.1 = 0.9, -0.5, tie 0.5 - 0.9 = -0.4
   */
  @Test
  void scoreAndGradientMatchHandComputationIncludingTies() {
    INDArray labels = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {2, 2, 2}});
    INDArray out = Nd4j.createFromArray(new double[][] {{0.5, 1.0, 2.0}, {3, 1, 2}});

    INDArray perExample = loss.computeScoreArray(labels, out, new ActivationIdentity(), null);
    assertArrayEquals(new double[] {0.05, 1.4 / 3}, perExample.toDoubleVector(), 1e-12);
    assertEquals((0.05 + 1.4 / 3) / 2,
        loss.computeScore(labels, out, new ActivationIdentity(), null, true), 1e-12);
    assertEquals(0.05 + 1.4 / 3,
        loss.computeScore(labels, out, new ActivationIdentity(), null, false), 1e-12);

    INDArray grad = loss.computeGradient(labels, out, new ActivationIdentity(), null);
    assertArrayEquals(new double[] {-0.1 / 3, 0, 0.1 / 3}, grad.getRow(0).toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {0.9 / 3, -0.5 / 3, -0.4 / 3}, grad.getRow(1).toDoubleVector(),
        1e-12);
  }

  /**
   * The median (the pipeline's loss) is L1 / 2: y = (1, 1 | 2, 2), yhat = (0.5, 1 | 3, 1), u =
   * (0.5, 0 | -1, 1): per example (0.25 + 0) / 2 and (0.5 + 0.5) / 2; gradient -sign(u) / 2 / 2
   * (0 at the tie). With a mask on the second column only the first column counts.
   */
  @Test
  void medianScoreAndGradientAreHalfTheAbsoluteResidualAndItsSign() {
    PinballLoss median = new PinballLoss(new double[] {0.5});
    INDArray labels = Nd4j.createFromArray(new double[][] {{1, 1}, {2, 2}});
    INDArray out = Nd4j.createFromArray(new double[][] {{0.5, 1}, {3, 1}});
    ActivationIdentity id = new ActivationIdentity();
    assertEquals((0.125 + 0.5) / 2, median.computeScore(labels, out, id, null, true), 1e-12);
    assertEquals(0.125 + 0.5, median.computeScore(labels, out, id, null, false), 1e-12);
    assertArrayEquals(new double[] {0.125, 0.5},
        median.computeScoreArray(labels, out, id, null).toDoubleVector(), 1e-12);
    INDArray grad = median.computeGradient(labels, out, id, null);
    assertArrayEquals(new double[] {-0.25, 0, 0.25, -0.25}, grad.reshape(4).toDoubleVector(),
        1e-12);
    INDArray mask = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}});
    assertEquals((0.125 + 0.25) / 2, median.computeScore(labels, out, id, mask, true), 1e-12);
    assertEquals(0.0, median.computeGradient(labels, out, id, mask).getDouble(1, 1), 0.0);
    // the input arrays are left as they were
    assertArrayEquals(new double[] {0.5, 1, 3, 1}, out.reshape(4).toDoubleVector(), 0.0);
  }

  @Test
  void maskedColumnsContributeNothing() {
    INDArray labels = Nd4j.createFromArray(new double[][] {{1, 1, 1}});
    INDArray out = Nd4j.createFromArray(new double[][] {{0.5, 5, 2.0}});
    INDArray mask = Nd4j.createFromArray(new double[][] {{1, 0, 1}});
    assertEquals((0.05 + 0.1) / 3,
        loss.computeScore(labels, out, new ActivationIdentity(), mask, true), 1e-12);
    assertEquals(0.0, loss.computeGradient(labels, out, new ActivationIdentity(), mask)
        .getDouble(0, 1), 0.0);
  }

  @Test
  void rejectsColumnsThatAreNotAMultipleOfTheLevels() {
    INDArray two = Nd4j.zeros(1, 2);
    assertThrows(IllegalStateException.class,
        () -> loss.computeScore(two, two, new ActivationIdentity(), null, true));
    assertThrows(IllegalArgumentException.class, () -> new PinballLoss(new double[] {0.5, 1.0}));
  }

  /**
   * Gradient descent on a single free parameter with the 0.5 pinball loss converges to the
   * sample median, not the mean, on right-skewed (exponential) data: the property that makes
   * the 50% output a median forecast.
   */
  @Test
  void minimisingTheMedianLevelConvergesToTheSampleMedianOfSkewedData() {
    Random rnd = new Random(7);
    int n = 401;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = -Math.log(1 - rnd.nextDouble()); // Exp(1): median ln 2 = 0.69, mean 1
    }
    PinballLoss median = new PinballLoss(new double[] {0.5});
    INDArray labels = Nd4j.createFromArray(y).reshape(n, 1);
    double theta = 3.0;
    for (int step = 0; step < 4000; step++) {
      INDArray out = Nd4j.valueArrayOf(new long[] {n, 1}, theta);
      // mean over examples of dL/dyhat: the gradient of the averaged score
      double g = median.computeGradient(labels, out, new ActivationIdentity(), null)
          .meanNumber().doubleValue();
      theta -= 0.02 * g * (step < 2000 ? 1 : 0.1);
    }
    double[] sorted = y.clone();
    Arrays.sort(sorted);
    double sampleMedian = sorted[n / 2];
    double mean = Arrays.stream(y).average().orElseThrow();
    assertEquals(sampleMedian, theta, 0.01, "median " + sampleMedian + ", mean " + mean);
    assertEquals(true, Math.abs(mean - sampleMedian) > 0.2, "data must be skewed for this test");
  }
}
