package io.tracecast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.fit.PanelFitter;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.network.GraphGru;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.network.layer.GraphGruReadout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * graph_gru against a per-series LSTM on a lead-lag job: node B repeats node A two steps later
 * plus noise. B's next value is A's value one step ago: in the panel, not in B's own window, so
 * only a model that sees its neighbour predicts it. (With a third, unrelated series of A's
 * statistics, attention from per-step values cannot tell it from A: measured, B's MAE was
 * 0.64 against the LSTM's 0.755 after 12 epochs; see training/README.md.)
 */
class GraphTrainingTest {
  private static final int LOOKBACK = 6; // B needs A's last two steps only
  private static final NetworkShape SHAPE = new NetworkShape(LOOKBACK, 1, 1, 1, List.of(0));
  private static final int NODES = 2;
  private static final int B = 1;
  private static final double NOISE = 0.1;

  @TempDir
  Path checkpoints;

  @Test
  void seesTheLeadingNodeAndBeatsAPerSeriesLstmOnTheLaggingOne() {
    List<Panel> panels = SyntheticPanels.of(SyntheticPanels.leadLag(NODES, 1_300, NOISE, 17),
        LOOKBACK);
    List<Panel> train = panels.subList(0, 900);
    List<Panel> validation = panels.subList(900, 1_100);
    List<Panel> test = panels.subList(1_100, panels.size());
    TrainingConfig tc = new TrainingConfig(0.02, TrainingConfig.Schedule.CONSTANT, 0, 32, 20,
        20, TrainingConfig.StopMetric.VALIDATION_MAE, 1.0, 42);

    // smaller than the defaults (4 heads, 4 layers, 32 units) to keep the test short
    ModelSpec graphSpec = ModelKinds.GRAPH_GRU.defaults().withUnits(List.of(16))
        .withParams(new GraphGru.Graph(2, 2, 0.5)).withTraining(tc);
    long t0 = System.nanoTime();
    FitOutcome graph = loop("graph", graphSpec).run(new PanelFitter(
        ModelKinds.GRAPH_GRU.build(graphSpec, SHAPE, NODES), graphSpec, SHAPE, NODES, train,
        validation));
    double graphSeconds = (System.nanoTime() - t0) / 1e9;
    INDArray out = graph.network().outputSingle(PanelTensors.features(test, SHAPE, NODES));
    double graphMae = 0;
    for (int p = 0; p < test.size(); p++) {
      graphMae += Math.abs(out.getDouble(p, B) - test.get(p).targets()[B]) / test.size();
    }

    ModelSpec lstmSpec = ModelKinds.LSTM.defaults().withTraining(tc);
    List<float[]> lstmInputs = nodeWindows(train, true);
    t0 = System.nanoTime();
    ComputationGraph lstm = NetworkBuilder.build(lstmSpec, SHAPE);
    FitOutcome perSeries = loop("lstm", lstmSpec).run(new LocalFitter(lstm, lstmSpec, SHAPE,
        lstmInputs, nodeWindows(train, false), nodeWindows(validation, true),
        nodeWindows(validation, false)));
    double lstmSeconds = (System.nanoTime() - t0) / 1e9;
    INDArray lstmOut = perSeries.network().outputSingle(
        WindowTensors.features(nodeWindows(test, true), SHAPE));
    double lstmMae = 0;
    for (int p = 0; p < test.size(); p++) {
      lstmMae += Math.abs(lstmOut.getDouble(p, 0) - test.get(p).targets()[B]) / test.size();
    }

    double[][] a = GraphGruReadout.meanAdjacency(graph.network(), test, SHAPE);
    System.out.printf("lead-lag, node B test MAE: graph_gru %.4f (%d epochs, %.1f s), "
            + "lstm %.4f (%d epochs, %.1f s), ratio %.3f; B's mean adjacency row %s%n",
        graphMae, graph.history().epochs().size(), graphSeconds, lstmMae,
        perSeries.history().epochs().size(), lstmSeconds, graphMae / lstmMae,
        Arrays.toString(a[B]));
    // B's next value is A's last-but-one: the graph model's error should approach the noise
    // (MAE of N(0, 0.1^2) is 0.08), the LSTM's the innovation of A (MAE of N(0, 1) ~ 0.8).
    // Measured after 20 epochs: 0.471 against 0.805 (ratio 0.585) with OpenBLAS's SkylakeX
    // kernels, 0.436 (0.542) with its Haswell kernels on the same CPU; the floor is far lower,
    // 20 short epochs do not reach it (training/README.md). After 11 epochs the two kernels'
    // rounding alone gave 0.602 and 0.725: too close to the bar to hold on every machine.
    assertTrue(graphMae < 0.7 * lstmMae, "graph " + graphMae + " vs lstm " + lstmMae);
    assertTrue(lstmMae > 0.6, "the LSTM cannot know A: " + lstmMae);
    assertEquals(1.0, Arrays.stream(a[B]).sum(), 1e-5);
  }

  private EpochLoop loop(String job, ModelSpec spec) {
    return new EpochLoop(job, spec, "lead-lag", new CheckpointStore(checkpoints.toString(), job,
        spec.kind().id(), new Configuration()), null);
  }

  /** Node B's windows (inputs) or targets, as a per-series model sees them. */
  private static List<float[]> nodeWindows(List<Panel> panels, boolean inputs) {
    return panels.stream().map(p -> inputs
        ? Arrays.copyOfRange(p.inputs(), B * LOOKBACK, (B + 1) * LOOKBACK)
        : Arrays.copyOfRange(p.targets(), B, B + 1)).toList();
  }
}
