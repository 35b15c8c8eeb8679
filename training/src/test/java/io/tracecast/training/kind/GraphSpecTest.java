package io.tracecast.training.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.training.kind.network.GraphGru;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph part of a spec: defaults, validation, and metadata written before it existed. */
class GraphSpecTest {
  @Test
  void graphKindGetsItsDefaultsAndOtherKindsNone() {
    ModelSpec g = ModelKinds.GRAPH_GRU.defaults();
    assertEquals(new GraphGru.Graph(4, 4, 0.5), g.params(GraphGru.Graph.class));
    assertEquals(List.of(32), g.units());
    assertEquals(KindParams.NONE, ModelKinds.LSTM.defaults().params());
    assertThrows(IllegalArgumentException.class,
        () -> ModelKinds.LSTM.defaults().withParams(GraphGru.Graph.DEFAULTS));
    assertThrows(IllegalArgumentException.class, () -> g.withDropout(0.2));
    assertThrows(IllegalArgumentException.class, () -> new GraphGru.Graph(0, 4, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new GraphGru.Graph(4, 4, 0));
    assertThrows(IllegalArgumentException.class,
        () -> NetworkBuilder.build(g, new NetworkShape(4, 1, 1, 1)));
  }

  @Test
  void specJsonRoundTripsAndOldJsonStillLoads() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ModelSpec g = ModelKinds.GRAPH_GRU.defaults().withParams(new GraphGru.Graph(2, 1, 0.3));
    assertEquals(g, json.readValue(json.writeValueAsString(g), ModelSpec.class));
    String training = json.writeValueAsString(g.training());
    // graph_gru's settings as b90b1eb wrote them: a flat "graph" object
    ModelSpec old = json.readValue("{\"kind\":\"graph_gru\",\"units\":[32],\"dropout\":0.0,"
        + "\"convFilters\":0,\"convKernel\":0,\"quantiles\":[],\"training\":" + training
        + ",\"residual\":false,\"lookbackUsed\":0,\"graph\":{\"heads\":2,\"gcnLayers\":1,"
        + "\"topK\":0.3}}", ModelSpec.class);
    assertEquals(g, old);
    // and before graph settings existed at all: the defaults
    ModelSpec older = json.readValue("{\"kind\":\"graph_gru\",\"units\":[32],\"dropout\":0.0,"
        + "\"quantiles\":[],\"training\":" + training + "}", ModelSpec.class);
    assertEquals(GraphGru.Graph.DEFAULTS, older.params());
  }
}
