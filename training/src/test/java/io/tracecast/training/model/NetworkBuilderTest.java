package io.tracecast.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.training.model.lstm.FusedLstm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which recurrent layers skip their input epsilon: exactly those fed by the network input
 * (directly or through the parameterless crop of the window); a layer after a convolution or
 * another recurrent layer must pass its epsilon on.
 */
class NetworkBuilderTest {
  private static final NetworkShape SHAPE = new NetworkShape(12, 1, 1, 1);

  @ParameterizedTest
  @EnumSource(value = ModelKind.class, names = {"LSTM", "STACKED_LSTM", "BILSTM_ATTENTION",
      "CNN_LSTM"})
  void onlyLayersFedByTheInputSkipTheirInputEpsilon(ModelKind kind) {
    Map<String, Boolean> expected = switch (kind) {
      case LSTM -> Map.of("lstm", false);
      case STACKED_LSTM -> Map.of("lstm1", false, "lstm", true);
      case BILSTM_ATTENTION -> Map.of("bilstm1", false, "bilstm2", true);
      case CNN_LSTM -> Map.of("lstm", true);
      default -> throw new IllegalStateException();
    };
    for (ModelSpec spec : new ModelSpec[] {ModelSpec.defaults(kind),
        ModelSpec.defaults(kind).withLookbackUsed(6)}) {
      Map<String, Boolean> found = new LinkedHashMap<>();
      Map<String, GraphVertex> vertices = NetworkBuilder.build(spec, SHAPE).getConfiguration()
          .getVertices();
      vertices.forEach((name, v) -> {
        if (v instanceof LayerVertex lv) {
          Layer l = lv.getLayerConf().getLayer();
          if (l instanceof LastTimeStep last) {
            l = last.getUnderlying();
          }
          if (l instanceof FusedLstm f) {
            found.put(name, f.isInputEpsilon());
          }
        }
      });
      assertEquals(expected, found, kind + " " + spec.lookbackUsed());
    }
  }
}
