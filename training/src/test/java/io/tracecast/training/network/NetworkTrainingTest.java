package io.tracecast.training.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.BitbrainsSample;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.WindowNetwork;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Each kind builds from its defaults and overfits 64 real windows within a few epochs. */
class NetworkTrainingTest {
  private static final NetworkShape SHAPE = new NetworkShape(12, 1, 1, 1);
  private static final int WINDOWS = 64;
  private static final int EPOCHS = 60;
  /** Rows 200.. of VM 1 have structure (lag-1 autocorrelation 0.66); the first rows are flat. */
  private static final int SKIP_ROWS = 200;

  static List<NetworkArchitecture> windowKinds() {
    return ModelKinds.networks().stream().filter(k -> k instanceof WindowNetwork).toList();
  }

  @ParameterizedTest
  @MethodSource("windowKinds")
  void eachKindOverfitsRealWindows(NetworkArchitecture kind) {
    ModelSpec spec = kind.defaults();
    spec = spec.withTraining(spec.training().withLearningRate(0.01).withEpochs(EPOCHS, 2));
    if (kind.equals(ModelKinds.BILSTM_ATTENTION)) {
      // smaller and faster (SameDiff attention is the slowest layer here): keeps it under 20 s
      spec = spec.withUnits(List.of(8, 8))
          .withTraining(spec.training().withLearningRate(0.02).withEpochs(EPOCHS, 2));
    }
    int epochs = EPOCHS;
    if (kind.unitLayers() == 0) {
      // a convex fit, slow on these correlated lags at 0.01: more and larger full-batch steps
      epochs = 10 * EPOCHS;
      spec = spec.withTraining(spec.training().withLearningRate(0.05).withEpochs(epochs, 2));
    }
    BitbrainsSample.Windows w = BitbrainsSample.windows(WINDOWS, SHAPE.lookback(), SKIP_ROWS);
    DataSet data = WindowTensors.dataSet(w.inputs(), w.targets(), SHAPE, spec);
    ComputationGraph net = NetworkBuilder.build(spec, SHAPE);

    INDArray out = net.outputSingle(data.getFeatures());
    assertArrayEquals(new long[] {WINDOWS, spec.outputsPerTarget()}, out.shape(), kind.id());
    double first = net.score(data, false);
    long start = System.nanoTime();
    for (int e = 0; e < epochs; e++) {
      net.fit(data);
    }
    double last = net.score(data, false);
    double seconds = (System.nanoTime() - start) / 1e9;
    double baseline = spec.quantiles().isEmpty() ? meanPredictorMse(w.targets())
        : constantQuantilePinball(w.targets(), spec.quantiles());
    System.out.printf("%s: loss %.5f -> %.5f (best constant %.5f) in %.1f s%n", kind.id(),
        first, last, baseline, seconds);
    assertTrue(last < first / 2, kind.id() + ": loss " + first + " -> " + last);
    if (kind.unitLayers() == 0) {
      // No hidden layer, nothing to overfit with: the bar is the best affine fit of these
      // windows under the kind's loss, computed here (least squares for MSE; for one quantile
      // level, quantile regression as a linear programme), which it must come close to.
      double best = spec.quantiles().isEmpty() ? leastSquaresMse(w.inputs(), w.targets())
          : quantileRegressionPinball(w.inputs(), w.targets(), spec.quantiles());
      System.out.printf("%s: best affine fit %.5f%n", kind.id(), best);
      assertTrue(last < 1.25 * best, kind.id() + ": " + last + " vs best affine fit " + best);
      return;
    }
    // The best constant forecast (mean, or per-level empirical quantile) is the bar: learning
    // the level alone cannot pass, the network has to use the window.
    double bar = spec.quantiles().isEmpty() ? 0.4 : 0.8;
    assertTrue(last < bar * baseline, kind.id() + ": " + last + " vs constant " + baseline);
  }

  /** The mean squared residual of the least-squares affine fit of targets on the windows. */
  private static double leastSquaresMse(List<float[]> inputs, List<float[]> targets) {
    double[][] x = new double[inputs.size()][];
    double[] y = new double[inputs.size()];
    for (int i = 0; i < x.length; i++) {
      float[] in = inputs.get(i);
      x[i] = new double[in.length];
      for (int j = 0; j < in.length; j++) {
        x[i][j] = in[j];
      }
      y[i] = targets.get(i)[0];
    }
    org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression ols =
        new org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression();
    ols.newSampleData(y, x);
    double sum = 0;
    for (double r : ols.estimateResiduals()) {
      sum += r * r;
    }
    return sum / y.length;
  }

  /**
   * The least pinball loss of an affine map of the windows at one level tau (tau = 0.5: least
   * absolute deviations, halved), by the simplex method: minimise sum(tau u + (1 - tau) v) over
   * free coefficients and intercept with x.beta + b + u - v = y, u, v >= 0.
   */
  private static double quantileRegressionPinball(List<float[]> inputs, List<float[]> targets,
      List<Double> levels) {
    if (levels.size() != 1) {
      throw new IllegalArgumentException("one level, got " + levels);
    }
    double tau = levels.get(0);
    int n = inputs.size();
    int p = inputs.get(0).length + 1;
    int vars = p + 2 * n;
    double[] cost = new double[vars];
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cost[p + i] = tau;
      cost[p + n + i] = 1 - tau;
      double[] row = new double[vars];
      float[] x = inputs.get(i);
      for (int j = 0; j < x.length; j++) {
        row[j] = x[j];
      }
      row[p - 1] = 1;
      row[p + i] = 1;
      row[p + n + i] = -1;
      constraints.add(new LinearConstraint(row, Relationship.EQ, targets.get(i)[0]));
      for (int slack : new int[] {p + i, p + n + i}) {
        double[] bound = new double[vars];
        bound[slack] = 1;
        constraints.add(new LinearConstraint(bound, Relationship.GEQ, 0));
      }
    }
    PointValuePair best = new SimplexSolver().optimize(new MaxIter(100_000),
        new LinearObjectiveFunction(cost, 0), new LinearConstraintSet(constraints),
        GoalType.MINIMIZE, new NonNegativeConstraint(false));
    return best.getValue() / n;
  }

  /** Pinball loss (averaged over levels) of predicting each level's empirical quantile. */
  private static double constantQuantilePinball(List<float[]> targets, List<Double> levels) {
    double[] y = targets.stream().mapToDouble(t -> t[0]).sorted().toArray();
    double total = 0;
    for (double tau : levels) {
      double q = y[(int) Math.floor(tau * (y.length - 1))];
      for (double v : y) {
        total += Math.max(tau * (v - q), (tau - 1) * (v - q));
      }
    }
    return total / (levels.size() * y.length);
  }

  private static double meanPredictorMse(List<float[]> targets) {
    double mean = targets.stream().mapToDouble(t -> t[0]).average().orElseThrow();
    return targets.stream().mapToDouble(t -> (t[0] - mean) * (t[0] - mean)).average()
        .orElseThrow();
  }
}
