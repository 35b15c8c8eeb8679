package io.tracecast.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModelSpecTest {

  @Test
  void defaultsFollowTheIssue() {
    ModelSpec stacked = ModelSpec.defaults(ModelKind.STACKED_LSTM);
    assertEquals(List.of(64, 32), stacked.units());
    assertEquals(0.2, stacked.dropout());
    assertEquals(0.01, stacked.training().learningRate());
    assertEquals(16, stacked.training().batchSize());
    assertEquals(50, stacked.training().maxEpochs());
    ModelSpec bilstm = ModelSpec.defaults(ModelKind.BILSTM_ATTENTION);
    assertEquals(List.of(0.1, 0.5, 0.9), bilstm.quantiles());
    assertEquals(TrainingConfig.Schedule.WARMUP_COSINE, bilstm.training().schedule());
    assertEquals(5, bilstm.training().warmupEpochs());
    assertEquals(256, bilstm.training().batchSize());
    assertEquals(10, bilstm.training().patience());
    assertEquals(List.of(50), ModelSpec.defaults(ModelKind.LSTM).units());
    assertEquals(ModelKind.CNN_LSTM, ModelKind.fromId("cnn_lstm"));
  }

  @Test
  void rejectsSpecsThatDoNotFitTheKind() {
    TrainingConfig t = ModelSpec.defaults(ModelKind.LSTM).training();
    assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(ModelKind.STACKED_LSTM, List.of(64), 0, 0, 0, List.of(), t));
    assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(ModelKind.LSTM, List.of(50), 1.0, 0, 0, List.of(), t));
    assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(ModelKind.CNN, List.of(50), 0, 0, 3, List.of(), t));
    assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(ModelKind.LSTM, List.of(50), 0, 0, 0, List.of(0.9, 0.1), t));
    assertThrows(IllegalArgumentException.class, () -> ModelKind.fromId("transformer"));
    assertThrows(IllegalArgumentException.class, () -> t.withEpochs(5, 5)
        .withLearningRate(-1));
  }

  /** inputs[t * F + f] lands at (b, f, t): a transpose per window, not a reshape. */
  @Test
  void timeMajorInputsBecomeNcwTensors() {
    NetworkShape shape = new NetworkShape(3, 2, 2, 1);
    float[] window = {10, 20, 11, 21, 12, 22}; // (t0: f0 f1), (t1: f0 f1), (t2: f0 f1)
    INDArray x = WindowTensors.features(List.of(window), shape);
    assertEquals(List.of(1L, 2L, 3L), List.of(x.size(0), x.size(1), x.size(2)));
    assertEquals(12f, x.getFloat(0, 0, 2));
    assertEquals(21f, x.getFloat(0, 1, 1));
    INDArray y = WindowTensors.labels(List.of(new float[] {5, 6}), shape, 3);
    assertEquals(List.of(5f, 5f, 5f, 6f, 6f, 6f), List.of(y.getFloat(0, 0), y.getFloat(0, 1),
        y.getFloat(0, 2), y.getFloat(0, 3), y.getFloat(0, 4), y.getFloat(0, 5)));
    assertThrows(IllegalArgumentException.class,
        () -> WindowTensors.features(List.of(new float[5]), shape));
  }
}
