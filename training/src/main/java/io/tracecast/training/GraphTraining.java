package io.tracecast.training;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.PanelFitter;
import io.tracecast.training.model.GraphNetworks;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkShape;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one {@code graph_gru} network on one graph's panels in this JVM: the graph analogue of
 * {@link LocalTraining}'s fit, without publishing (the planner and registry wiring call this).
 */
public final class GraphTraining {
  private GraphTraining() {}

  /**
   * Builds a network for the panels' node count and runs {@code loop} (early stopping,
   * checkpoints, logging) over it.
   *
   * @param train panels of one graph (equal node counts); those with every node masked are
   *     skipped (they carry no loss)
   * @param validation panels of the same graph, possibly empty
   * @param loop an {@link EpochLoop} for this job and {@code spec}
   */
  public static FitOutcome fit(List<Panel> train, List<Panel> validation, ModelSpec spec,
      NetworkShape shape, EpochLoop loop) {
    List<Panel> usable = train.stream().filter(p -> p.presentNodes() > 0).toList();
    if (usable.isEmpty()) {
      throw new IllegalArgumentException(spec.kind().id() + ": no train panel has a present "
          + "node (" + train.size() + " panels)");
    }
    int nodes = usable.get(0).nodes();
    for (Panel p : usable) {
      if (p.nodes() != nodes) {
        throw new IllegalArgumentException(spec.kind().id() + ": panels of one graph must have "
            + "one node count, got " + nodes + " and " + p.nodes() + " (" + p.graphId() + ")");
      }
    }
    List<Panel> scored = validation.stream().filter(p -> p.presentNodes() > 0).toList();
    // The configuration's seed fixes initialisation; ND4J's global RNG is seeded too, as in
    // LocalTraining.
    Nd4j.getRandom().setSeed(spec.training().seed());
    ComputationGraph net = GraphNetworks.build(spec, shape, nodes);
    return loop.run(new PanelFitter(net, spec, shape, nodes, usable, scored));
  }
}
