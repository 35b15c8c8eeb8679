package io.tracecast.training.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.kernels.gru.FusedGru;
import io.tracecast.kernels.lstm.FusedLstm;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which recurrent layers skip their input epsilon: exactly those fed by the network input
 * (directly or through the parameterless crop of the window); a layer after a convolution or
 * another recurrent layer must pass its epsilon on.
 */
class NetworkBuilderTest {
  private static final NetworkShape SHAPE = new NetworkShape(12, 1, 1, 1);

  @ParameterizedTest
  @ValueSource(strings = {"lstm", "stacked_lstm", "bilstm_attention", "cnn_lstm", "gru"})
  void onlyLayersFedByTheInputSkipTheirInputEpsilon(String id) {
    Map<String, Boolean> expected = Map.of(
        "lstm", Map.of("lstm", false),
        "stacked_lstm", Map.of("lstm1", false, "lstm2", true),
        "bilstm_attention", Map.of("bilstm1", false, "bilstm2", true),
        "cnn_lstm", Map.of("lstm", true),
        "gru", Map.of("gru", false)).get(id);
    NetworkArchitecture kind = ModelKinds.network(id);
    for (ModelSpec spec : new ModelSpec[] {kind.defaults(),
        kind.defaults().withLookbackUsed(6)}) {
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
          if (l instanceof FusedGru f) {
            found.put(name, f.isInputEpsilon());
          }
        }
      });
      assertEquals(expected, found, kind + " " + spec.lookbackUsed());
    }
  }
}
