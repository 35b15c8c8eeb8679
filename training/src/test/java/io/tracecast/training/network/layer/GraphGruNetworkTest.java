package io.tracecast.training.network.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.SyntheticPanels;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.network.GraphGru;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The graph_gru network's contract: equivariance, masking, persistence, gradients. */
class GraphGruNetworkTest {
  private static final NetworkShape SHAPE = new NetworkShape(6, 1, 2, 1, List.of(0));
  private static final int NODES = 4;

  private static ModelSpec spec(boolean residual, List<Double> quantiles) {
    ModelSpec s = ModelKinds.GRAPH_GRU.defaults().withUnits(List.of(8))
        .withResidual(residual).withQuantiles(quantiles);
    return s.withTraining(s.training().withLearningRate(0.01));
  }

  /** Lead-lag panels with horizon 2: targets are steps t + 1 and t + 2. */
  private static List<Panel> panels(int count, long seed) {
    double[][] v = SyntheticPanels.leadLag(NODES, count + SHAPE.lookback() + 2, 0.1, seed);
    List<Panel> out = new ArrayList<>();
    for (Panel p : SyntheticPanels.of(v, SHAPE.lookback())) {
      int t = (int) (p.endMillis() / 300_000L);
      if (t + 2 >= v[0].length || out.size() == count) {
        break;
      }
      float[] y = new float[NODES * 2];
      for (int n = 0; n < NODES; n++) {
        y[2 * n] = (float) v[n][t + 1];
        y[2 * n + 1] = (float) v[n][t + 2];
      }
      out.add(new Panel(p.jobId(), p.graphId(), p.endMillis(), NODES, p.inputs(), y,
          p.anchor(), p.scale(), p.mask()));
    }
    return out;
  }

  @Test
  void permutingTheNodesPermutesTheForecasts() {
    ModelSpec spec = spec(true, List.of(0.1, 0.5, 0.9));
    ComputationGraph net = ModelKinds.GRAPH_GRU.build(spec, SHAPE, NODES);
    List<Panel> train = panels(64, 3);
    for (int e = 0; e < 3; e++) { // trained a little, so no weight is at its initial value
      net.fit(PanelTensors.dataSet(train, SHAPE, spec, NODES));
    }
    int[] order = {2, 0, 3, 1};
    List<Panel> some = new ArrayList<>(panels(8, 11));
    some.set(3, SyntheticPanels.masking(some.get(3), 1, 0));
    List<Panel> permuted = some.stream().map(p -> SyntheticPanels.permuted(p, order)).toList();
    INDArray out = net.outputSingle(PanelTensors.features(some, SHAPE, NODES));
    INDArray outPermuted = net.outputSingle(PanelTensors.features(permuted, SHAPE, NODES));
    int outputs = (int) (out.size(1) / NODES);
    assertEquals(2 * 3, outputs);
    for (int b = 0; b < some.size(); b++) {
      for (int i = 0; i < NODES; i++) {
        for (int c = 0; c < outputs; c++) {
          assertEquals(out.getDouble(b, order[i] * outputs + c),
              outPermuted.getDouble(b, i * outputs + c), 1e-5, "panel " + b + " node " + i);
        }
      }
    }
    // and the nodes do interact: another node's history moves node 0's forecast
    Panel p = some.get(0);
    float[] in = p.inputs().clone();
    for (int i = SHAPE.inputLength(); i < 2 * SHAPE.inputLength(); i++) {
      in[i] += 3;
    }
    Panel moved = new Panel("job", "job", 0, NODES, in, p.targets(), p.anchor(), p.scale(),
        p.mask());
    assertNotEquals(out.getDouble(0, 0), net.outputSingle(PanelTensors.features(List.of(moved),
        SHAPE, NODES)).getDouble(0, 0), 1e-4);
  }

  @Test
  void maskedNodesAddNoLossAndTheModelFileRestoresTheSameForecasts() throws Exception {
    ModelSpec spec = spec(false, List.of());
    List<Panel> clean = new ArrayList<>();
    for (Panel p : panels(96, 5)) {
      clean.add(SyntheticPanels.masking(p, clean.size() % NODES, 0));
    }
    ComputationGraph a = ModelKinds.GRAPH_GRU.build(spec, SHAPE, NODES);
    ComputationGraph b = ModelKinds.GRAPH_GRU.build(spec, SHAPE, NODES);
    assertEquals(a.params(), b.params());
    DataSet cleanData = PanelTensors.dataSet(clean, SHAPE, spec, NODES);
    double before = a.score(cleanData, false);
    for (int e = 0; e < 4; e++) {
      for (int from = 0; from < clean.size(); from += 32) {
        DataSet batch = PanelTensors.dataSet(clean.subList(from, from + 32), SHAPE, spec, NODES);
        a.fit(batch);
        b.fit(withGarbageOnMaskedLabels(batch));
      }
    }
    DataSet garbageData = withGarbageOnMaskedLabels(cleanData);
    assertNotEquals(cleanData.getLabels(), garbageData.getLabels());
    assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 1e-6f);
    assertEquals(a.score(cleanData, false), b.score(garbageData, false), 1e-6);
    assertTrue(a.score(cleanData, false) < 0.6 * before, "it trained: " + before + " -> "
        + a.score(cleanData, false));
    INDArray out = a.outputSingle(cleanData.getFeatures());
    for (int p = 0; p < clean.size(); p++) {
      for (int n = 0; n < NODES; n++) {
        if (!clean.get(p).mask()[n]) {
          assertEquals(0, out.getDouble(p, 2 * n), 0, "a masked node forecasts 0");
        }
      }
    }

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    ModelSerializer.writeModel(a, file, true);
    ComputationGraph read = ModelSerializer.restoreComputationGraph(
        new ByteArrayInputStream(file.toByteArray()), true);
    assertEquals(out, read.outputSingle(cleanData.getFeatures()));
    assertEquals(NODES, GraphGruReadout.nodes(read));
    assertArrayEquals(GraphGruReadout.meanAdjacency(a, clean, SHAPE),
        GraphGruReadout.meanAdjacency(read, clean, SHAPE));
  }

  /** The same data with 1000 as the label of every masked column (the mask kept). */
  private static DataSet withGarbageOnMaskedLabels(DataSet d) {
    INDArray mask = d.getLabelsMaskArray();
    INDArray labels = d.getLabels().mul(mask).add(mask.rsub(1).mul(1000));
    return new DataSet(d.getFeatures(), labels, null, mask);
  }

  /**
   * The layer's SameDiff graph in double precision: gradients of every parameter against
   * central differences, for a loss sum(c * output) with fixed random c, on panels with a
   * masked node and the residual on. Checked on the graph itself: through DL4J's SameDiffLayer
   * every gradient arrives doubled (any SameDiffLayer in 1.0.0-M2.1, training/README.md), so
   * DL4J's GradientCheckUtil on the network reports relative errors of 1/3.
   */
  @Test
  void layerGradientsMatchFiniteDifferences() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      checkGradients();
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  private static void checkGradients() {
    ModelSpec s = ModelKinds.GRAPH_GRU.defaults().withUnits(List.of(4))
        .withResidual(true).withParams(new GraphGru.Graph(2, 2, 0.5));
    NetworkShape shape = new NetworkShape(3, 1, 1, 1, List.of(0));
    GraphGru.Graph g = s.params(GraphGru.Graph.class);
    GraphGruLayer layer = new GraphGruLayer(shape, 3, s.stepsSeen(shape.lookback()),
        s.units().get(0), s.outputsPerTarget(), s.residual(), g.heads(), g.gcnLayers(),
        g.topK());
    SDLayerParams lp = new SDLayerParams();
    layer.defineParameters(lp);
    Random r = new Random(1);
    List<Panel> panels = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      double[][] v = new double[3][5];
      for (double[] row : v) {
        for (int t = 0; t < row.length; t++) {
          row[t] = r.nextGaussian();
        }
      }
      Panel p = SyntheticPanels.of(v, 3).get(0);
      panels.add(b == 2 ? SyntheticPanels.masking(p, 1, 0) : p);
    }
    SameDiff sd = SameDiff.create();
    // a constant: the mask flags in the input are not differentiable (top-k is a step)
    SDVariable input = sd.constant("panel",
        PanelTensors.features(panels, shape, 3).castTo(DataType.DOUBLE));
    Map<String, SDVariable> params = new LinkedHashMap<>();
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : lp.getParamShapes().entrySet()) {
      INDArray init = Nd4j.rand(DataType.DOUBLE, e.getValue()).subi(0.5);
      values.put(e.getKey(), init);
      params.put(e.getKey(), sd.var(e.getKey(), init));
    }
    layer.initializeParameters(values); // Xavier, biases 0 ...
    values.values().forEach(v -> v.addi(Nd4j.rand(DataType.DOUBLE, v.shape()).subi(0.5)
        .muli(0.2))); // ... then off zero, so the fusion and bias gradients are generic
    SDVariable out = layer.defineLayer(sd, input, params, null);
    SDVariable weights = sd.constant(Nd4j.rand(DataType.DOUBLE, 3, 3).subi(0.5));
    sd.setLossVariables(out.mul(weights).sum());
    assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-4, 1e-9,
        true, false), "gradient check");
  }
}
