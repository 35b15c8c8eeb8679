package io.tracecast.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.BitbrainsSample;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Each kind builds from its defaults and overfits 64 real windows within a few epochs. */
class NetworkTrainingTest {
  private static final NetworkShape SHAPE = new NetworkShape(12, 1, 1, 1);
  private static final int WINDOWS = 64;
  private static final int EPOCHS = 60;
  /** Rows 200.. of VM 1 have structure (lag-1 autocorrelation 0.66); the first rows are flat. */
  private static final int SKIP_ROWS = 200;

  @ParameterizedTest
  @EnumSource(value = ModelKind.class, names = "GRAPH_GRU", mode = EnumSource.Mode.EXCLUDE)
  void eachKindOverfitsRealWindows(ModelKind kind) {
    ModelSpec spec = ModelSpec.defaults(kind);
    spec = spec.withTraining(spec.training().withLearningRate(0.01).withEpochs(EPOCHS, 2));
    if (kind == ModelKind.BILSTM_ATTENTION) {
      // smaller and faster (SameDiff attention is the slowest layer here): keeps it under 20 s
      spec = spec.withUnits(List.of(8, 8))
          .withTraining(spec.training().withLearningRate(0.02).withEpochs(EPOCHS, 2));
    }
    BitbrainsSample.Windows w = BitbrainsSample.windows(WINDOWS, SHAPE.lookback(), SKIP_ROWS);
    DataSet data = WindowTensors.dataSet(w.inputs(), w.targets(), SHAPE, spec);
    ComputationGraph net = NetworkBuilder.build(spec, SHAPE);

    INDArray out = net.outputSingle(data.getFeatures());
    assertArrayEquals(new long[] {WINDOWS, spec.outputsPerTarget()}, out.shape(), kind.id());
    double first = net.score(data, false);
    long start = System.nanoTime();
    for (int e = 0; e < EPOCHS; e++) {
      net.fit(data);
    }
    double last = net.score(data, false);
    double seconds = (System.nanoTime() - start) / 1e9;
    double baseline = spec.quantiles().isEmpty() ? meanPredictorMse(w.targets())
        : constantQuantilePinball(w.targets(), spec.quantiles());
    System.out.printf("%s: loss %.5f -> %.5f (best constant %.5f) in %.1f s%n", kind.id(),
        first, last, baseline, seconds);
    assertTrue(last < first / 2, kind.id() + ": loss " + first + " -> " + last);
    // The best constant forecast (mean, or per-level empirical quantile) is the bar: learning
    // the level alone cannot pass, the network has to use the window.
    double bar = spec.quantiles().isEmpty() ? 0.4 : 0.8;
    assertTrue(last < bar * baseline, kind.id() + ": " + last + " vs constant " + baseline);
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
