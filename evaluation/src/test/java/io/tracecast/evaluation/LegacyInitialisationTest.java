package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.network.NetworkShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Same seed, same network: every kind the training module had before issue 22 rebuilt it
 * (b90b1eb) builds, from its default spec and seed 42, exactly the initial parameters it built
 * then ({@code legacy/initial-params.csv}, written by that code's {@code InitialParams.java}):
 * layer order, sizes and initialisation are unchanged, so the same run trains the same models.
 */
class LegacyInitialisationTest {
  /** The shape InitialParams used: lookback 12, 9 features, cpu at 0, one step, squashed. */
  private static final NetworkShape SHAPE = new NetworkShape(12, 9, 1, 1, List.of(0), true);

  @Test
  void everyKindBuildsTheInitialParametersItBuiltBefore() throws IOException {
    Path csv = EvaluationFixture.root()
        .resolve("evaluation/src/test/resources/legacy/initial-params.csv");
    List<String> lines = Files.readAllLines(csv);
    assertEquals("kind,variant,params,sum,sum_of_squares,p0,p1,p2", lines.get(0));
    assertEquals(16, lines.size() - 1, "eight kinds, two variants each");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      NetworkArchitecture kind = ModelKinds.network(f[0]);
      ModelSpec spec = kind.defaults();
      if (f[1].equals("residual_median")) {
        spec = spec.withResidual(true).withQuantiles(List.of(0.5));
      }
      ComputationGraph net = kind.build(spec, SHAPE, 3);
      INDArray p = net.params().castTo(DataType.DOUBLE);
      String what = f[0] + " " + f[1];
      assertEquals(Long.parseLong(f[2]), p.length(), what);
      assertEquals(Double.parseDouble(f[3]), p.sumNumber().doubleValue(), 1e-9, what);
      assertEquals(Double.parseDouble(f[4]), p.mul(p).sumNumber().doubleValue(), 1e-9, what);
      for (int i = 0; i < 3; i++) {
        assertEquals(Double.parseDouble(f[5 + i]), p.getDouble(i), 1e-8, what + " p" + i);
      }
    }
  }
}
