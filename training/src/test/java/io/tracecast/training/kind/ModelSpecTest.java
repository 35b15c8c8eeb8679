package io.tracecast.training.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.training.kind.network.Convolution;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModelSpecTest {

  @Test
  void defaultsFollowTheIssue() {
    ModelSpec stacked = ModelKinds.STACKED_LSTM.defaults();
    assertEquals(List.of(64, 32), stacked.units());
    assertEquals(0.2, stacked.dropout());
    assertEquals(0.01, stacked.training().learningRate());
    assertEquals(16, stacked.training().batchSize());
    assertEquals(50, stacked.training().maxEpochs());
    ModelSpec bilstm = ModelKinds.BILSTM_ATTENTION.defaults();
    assertEquals(List.of(0.1, 0.5, 0.9), bilstm.quantiles());
    assertEquals(TrainingConfig.Schedule.WARMUP_COSINE, bilstm.training().schedule());
    assertEquals(5, bilstm.training().warmupEpochs());
    assertEquals(256, bilstm.training().batchSize());
    assertEquals(10, bilstm.training().patience());
    assertEquals(List.of(50), ModelKinds.LSTM.defaults().units());
    assertEquals(new Convolution(32, 3), ModelKinds.CNN.defaults().params());
    assertEquals(KindParams.NONE, ModelKinds.MLP.defaults().params());
    assertEquals(ModelKinds.CNN_LSTM, ModelKinds.network("cnn_lstm"));
  }

  @Test
  void rejectsSpecsThatDoNotFitTheKind() {
    TrainingConfig t = ModelKinds.LSTM.defaults().training();
    assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelKinds.STACKED_LSTM,
        List.of(64), 0, List.of(), t, false, 0, KindParams.NONE));
    assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelKinds.LSTM,
        List.of(50), 1.0, List.of(), t, false, 0, KindParams.NONE));
    // a convolution kind needs its convolution, other kinds take none
    assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelKinds.CNN,
        List.of(50), 0, List.of(), t, false, 0, KindParams.NONE));
    assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelKinds.LSTM,
        List.of(50), 0, List.of(), t, false, 0, Convolution.DEFAULTS));
    assertThrows(IllegalArgumentException.class, () -> new Convolution(0, 3));
    assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelKinds.LSTM,
        List.of(50), 0, List.of(0.9, 0.1), t, false, 0, KindParams.NONE));
    assertThrows(IllegalArgumentException.class, () -> ModelKinds.network("transformer"));
    assertThrows(IllegalArgumentException.class, () -> ModelKinds.network("gbt"));
    assertThrows(IllegalArgumentException.class, () -> t.withEpochs(5, 5)
        .withLearningRate(-1));
  }

  @Test
  void everyKindsDefaultsRoundTripThroughJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (NetworkArchitecture kind : ModelKinds.networks()) {
      ModelSpec spec = kind.defaults().withResidual(true).withLookbackUsed(3);
      String text = json.writeValueAsString(spec);
      assertTrue(text.contains("\"kind\":\"" + kind.id() + "\""), text);
      assertEquals(spec, json.readValue(text, ModelSpec.class), kind.id());
    }
  }

  /**
   * A spec as metadata written before kinds owned their hyperparameters holds it (b90b1eb):
   * every field flat, the convolution as {@code convFilters} / {@code convKernel}, and no
   * {@code residual} or {@code lookbackUsed} in older files still.
   */
  @Test
  void readsSpecsWrittenBeforeKindParams() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String training = json.writeValueAsString(ModelKinds.CNN.defaults().training());
    ModelSpec cnn = json.readValue("{\"kind\":\"cnn\",\"units\":[16],\"dropout\":0.0,"
        + "\"convFilters\":8,\"convKernel\":5,\"quantiles\":[0.5],\"training\":" + training
        + ",\"residual\":true,\"lookbackUsed\":4,\"graph\":null}", ModelSpec.class);
    assertEquals(new Convolution(8, 5), cnn.params());
    assertEquals(List.of(16), cnn.units());
    assertEquals(List.of(0.5), cnn.quantiles());
    assertEquals(4, cnn.lookbackUsed());
    assertTrue(cnn.residual());
    ModelSpec mlp = json.readValue("{\"kind\":\"mlp\",\"units\":[64,32],\"dropout\":0.0,"
        + "\"convFilters\":0,\"convKernel\":0,\"quantiles\":[],\"training\":" + training + "}",
        ModelSpec.class);
    assertEquals(ModelKinds.MLP.defaults().withTraining(ModelKinds.CNN.defaults().training()),
        mlp);
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
