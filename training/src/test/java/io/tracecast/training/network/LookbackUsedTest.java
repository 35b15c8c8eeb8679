package io.tracecast.training.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** A network that looks at a suffix of the window still takes the dataset's whole window. */
class LookbackUsedTest {
  private static final NetworkShape SHAPE = new NetworkShape(6, 2, 1, 1, List.of(0));

  @Test
  void aCroppedNetworkTakesTheFullWindowAndIgnoresItsOlderSteps() throws Exception {
    for (NetworkArchitecture kind : List.of(ModelKinds.MLP, ModelKinds.LSTM, ModelKinds.CNN)) {
      for (boolean residual : List.of(false, true)) {
        ModelSpec spec = kind.defaults().withResidual(residual).withLookbackUsed(3);
        ComputationGraph net = NetworkBuilder.build(spec, SHAPE);
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] b = a.clone();
        for (int i = 0; i < 6; i++) {
          b[i] = -50 + i; // the 3 oldest steps (time-major, 2 features)
        }
        float[] outA = net.outputSingle(WindowTensors.features(List.of(a), SHAPE))
            .toFloatVector();
        float[] outB = net.outputSingle(WindowTensors.features(List.of(b), SHAPE))
            .toFloatVector();
        assertArrayEquals(outA, outB, 1e-6f, kind.id() + " residual " + residual);
        // and it survives the registry's model file
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, file, false);
        ComputationGraph read = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
            new java.io.ByteArrayInputStream(file.toByteArray()), false);
        assertArrayEquals(outA, read.outputSingle(WindowTensors.features(List.of(a), SHAPE))
            .toFloatVector(), 1e-6f);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> NetworkBuilder.build(
        ModelKinds.MLP.defaults().withLookbackUsed(7), SHAPE));
  }

  @Test
  void specJsonWrittenBeforeLookbackUsedStillLoadsAsTheWholeWindow() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ModelSpec spec = ModelKinds.MLP.defaults().withResidual(true);
    String old = json.writeValueAsString(spec).replace(",\"lookbackUsed\":0", "");
    assertEquals(-1, old.indexOf("lookbackUsed"));
    ModelSpec read = json.readValue(old, ModelSpec.class);
    assertEquals(spec, read);
    assertEquals(0, read.lookbackUsed());
    assertEquals(6, read.stepsSeen(6));
  }
}
