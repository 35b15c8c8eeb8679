package io.tracecast.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph part of a spec: defaults, validation, and metadata written before it existed. */
class GraphSpecTest {
  @Test
  void graphKindGetsItsDefaultsAndOtherKindsNone() {
    ModelSpec g = ModelSpec.defaults(ModelKind.GRAPH_GRU);
    assertEquals(new GraphConfig(4, 4, 0.5), g.graph());
    assertEquals(List.of(32), g.units());
    assertNull(ModelSpec.defaults(ModelKind.LSTM).graph());
    // a graph spec built without graph settings gets the defaults
    assertEquals(GraphConfig.DEFAULTS, new ModelSpec(ModelKind.GRAPH_GRU, List.of(8), 0, 0, 0,
        List.of(), g.training()).graph());
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.defaults(ModelKind.LSTM).withGraph(GraphConfig.DEFAULTS));
    assertThrows(IllegalArgumentException.class, () -> g.withDropout(0.2));
    assertThrows(IllegalArgumentException.class, () -> new GraphConfig(0, 4, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new GraphConfig(4, 4, 0));
    assertThrows(IllegalArgumentException.class,
        () -> NetworkBuilder.build(g, new NetworkShape(4, 1, 1, 1)));
  }

  @Test
  void specJsonRoundTripsAndOldJsonWithoutGraphStillLoads() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ModelSpec g = ModelSpec.defaults(ModelKind.GRAPH_GRU).withGraph(new GraphConfig(2, 1, 0.3));
    assertEquals(g, json.readValue(json.writeValueAsString(g), ModelSpec.class));
    ModelSpec lstm = ModelSpec.defaults(ModelKind.LSTM).withResidual(true);
    String old = json.writeValueAsString(lstm).replace(",\"graph\":null", "");
    assertEquals(-1, old.indexOf("graph"));
    assertEquals(lstm, json.readValue(old, ModelSpec.class));
  }
}
