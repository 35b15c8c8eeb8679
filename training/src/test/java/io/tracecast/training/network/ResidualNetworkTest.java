package io.tracecast.training.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.BitbrainsSample;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Residual networks start as persistence and learn corrections to it. */
class ResidualNetworkTest {
  /** Two features, the target (cpu) second; horizon 2, so 2 x 3 quantile columns. */
  private static final NetworkShape SHAPE = new NetworkShape(12, 2, 2, 1, List.of(1));

  @Test
  void withAZeroCorrectionTheNetworkForecastsTheLastObservedValueInEveryColumn() {
    ModelSpec spec = ModelKinds.LSTM.defaults().withQuantiles(List.of(0.1, 0.5, 0.9))
        .withResidual(true);
    List<float[]> inputs = twoFeatureWindows(16);
    ComputationGraph net = NetworkBuilder.build(spec, SHAPE);
    net.getLayer("correction").params().assign(0);
    INDArray out = net.outputSingle(WindowTensors.features(inputs, SHAPE));
    assertEquals(6, out.columns());
    for (int b = 0; b < inputs.size(); b++) {
      float last = inputs.get(b)[(SHAPE.lookback() - 1) * 2 + 1];
      for (int c = 0; c < 6; c++) {
        assertEquals(last, out.getFloat(b, c), 1e-6, "window " + b + " column " + c);
      }
    }
  }

  @Test
  void trainingAResidualMedianModelBeatsPersistenceOnItsTrainingWindows() {
    ModelSpec spec = ModelKinds.MLP.defaults().withQuantiles(List.of(0.5))
        .withResidual(true);
    spec = spec.withTraining(spec.training().withLearningRate(0.01).withEpochs(80, 0));
    NetworkShape shape = new NetworkShape(12, 1, 1, 1, List.of(0));
    BitbrainsSample.Windows w = BitbrainsSample.windows(64, 12, 200);
    DataSet data = WindowTensors.dataSet(w.inputs(), w.targets(), shape, spec);
    ComputationGraph net = NetworkBuilder.build(spec, shape);
    double persistence = mae(net, data);
    for (int epoch = 0; epoch < 80; epoch++) {
      net.fit(data);
    }
    double trained = mae(net, data);
    assertTrue(trained < 0.8 * persistence, "trained MAE " + trained + " vs persistence's "
        + persistence);
  }

  @Test
  void aResidualNetworkNeedsItsTargetAmongTheInputs() {
    ModelSpec spec = ModelKinds.MLP.defaults().withResidual(true);
    assertThrows(IllegalArgumentException.class,
        () -> NetworkBuilder.build(spec, new NetworkShape(12, 2, 1, 1, List.of(-1))));
  }

  private static double mae(ComputationGraph net, DataSet data) {
    INDArray out = net.outputSingle(data.getFeatures());
    return out.sub(data.getLabels()).norm1Number().doubleValue() / out.length();
  }

  /** Real cpu windows with a second, constant feature in front of the target. */
  private static List<float[]> twoFeatureWindows(int n) {
    BitbrainsSample.Windows w = BitbrainsSample.windows(n, 12, 200);
    List<float[]> out = new ArrayList<>();
    for (float[] cpu : w.inputs()) {
      float[] two = new float[cpu.length * 2];
      for (int t = 0; t < cpu.length; t++) {
        two[2 * t] = 0.5f;
        two[2 * t + 1] = cpu[t];
      }
      out.add(two);
    }
    return out;
  }
}
