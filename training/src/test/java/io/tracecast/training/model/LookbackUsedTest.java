package io.tracecast.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** A network that looks at a suffix of the window still takes the dataset's whole window. */
class LookbackUsedTest {
  private static final NetworkShape SHAPE = new NetworkShape(6, 2, 1, 1, List.of(0));

  @Test
  void aCroppedNetworkTakesTheFullWindowAndIgnoresItsOlderSteps() throws Exception {
    for (ModelKind kind : List.of(ModelKind.MLP, ModelKind.LSTM, ModelKind.CNN)) {
      for (boolean residual : List.of(false, true)) {
        ModelSpec spec = ModelSpec.defaults(kind).withResidual(residual).withLookbackUsed(3);
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
        ModelSpec.defaults(ModelKind.MLP).withLookbackUsed(7), SHAPE));
  }

  @Test
  void specJsonWrittenBeforeLookbackUsedStillLoadsAsTheWholeWindow() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ModelSpec spec = ModelSpec.defaults(ModelKind.MLP).withResidual(true);
    String old = json.writeValueAsString(spec).replace(",\"lookbackUsed\":0", "");
    assertEquals(-1, old.indexOf("lookbackUsed"));
    ModelSpec read = json.readValue(old, ModelSpec.class);
    assertEquals(spec, read);
    assertEquals(0, read.lookbackUsed());
    assertEquals(6, read.stepsSeen(6));
  }
}
