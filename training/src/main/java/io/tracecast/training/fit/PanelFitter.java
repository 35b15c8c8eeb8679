package io.tracecast.training.fit;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.PanelTensors;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link LocalFitter} for {@code graph_gru}: one process, panels held in memory, the same seeded
 * batch order ({@link LocalFitter#permutation}), so {@link EpochLoop} drives it unchanged. A
 * minibatch is {@code batchSize} panels. Validation loss is the network's (label-masked) score;
 * the MAE is of the point forecast ({@link io.tracecast.training.registry.ModelOutput#pointIndex}) over present nodes
 * only, pooled over (panel, node, horizon step, target), in model space.
 * {@link #trainWindows()} counts panels.
 */
public final class PanelFitter implements EpochFitter {
  private final ModelSpec spec;
  private final NetworkShape shape;
  private final int nodes;
  private final List<Panel> train;
  private final List<DataSet> validationBatches;
  private ComputationGraph network;

  /** {@code nodes}: the network's node count (panels with fewer are padded). */
  public PanelFitter(ComputationGraph network, ModelSpec spec, NetworkShape shape, int nodes,
      List<Panel> train, List<Panel> validation) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no train panels");
    }
    this.network = network;
    this.spec = spec;
    this.shape = shape;
    this.nodes = nodes;
    this.train = train;
    this.validationBatches = new ArrayList<>();
    int batch = spec.training().batchSize();
    for (int from = 0; from < validation.size(); from += batch) {
      validationBatches.add(PanelTensors.dataSet(
          validation.subList(from, Math.min(validation.size(), from + batch)), shape, spec,
          nodes));
    }
  }

  @Override
  public ComputationGraph network() {
    return network;
  }

  @Override
  public void setNetwork(ComputationGraph network) {
    this.network = network;
  }

  @Override
  public double fitEpoch(int epoch) {
    network.getConfiguration().setEpochCount(epoch);
    int[] order = LocalFitter.permutation(train.size(),
        spec.training().seed() * 1_000_003L + epoch);
    int batch = spec.training().batchSize();
    double lossSum = 0;
    for (int from = 0; from < order.length; from += batch) {
      int to = Math.min(order.length, from + batch);
      List<Panel> panels = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        panels.add(train.get(order[i]));
      }
      network.fit(PanelTensors.dataSet(panels, shape, spec, nodes));
      lossSum += network.score() * (to - from);
    }
    return lossSum / order.length;
  }

  @Override
  public Validation validate() {
    if (validationBatches.isEmpty()) {
      return Validation.NONE;
    }
    double lossSum = 0;
    long n = 0;
    double absSum = 0;
    long points = 0;
    int q = spec.outputsPerTarget();
    int point = io.tracecast.training.registry.ModelOutput.pointIndex(spec.quantiles());
    for (DataSet b : validationBatches) {
      lossSum += network.score(b, false) * b.numExamples();
      n += b.numExamples();
      INDArray out = network.outputSingle(false, b.getFeatures());
      float[] pred = flat(out);
      float[] label = flat(b.getLabels());
      float[] mask = flat(b.getLabelsMaskArray());
      int outputs = (int) (out.size(1) / nodes);
      for (int row = 0; row < pred.length / outputs; row++) {
        for (int j = 0; j < shape.targetLength(); j++) {
          int c = row * outputs + io.tracecast.training.registry.ModelOutput.column(j, point, q);
          if (mask[c] > 0) {
            absSum += Math.abs(pred[c] - label[c]);
            points++;
          }
        }
      }
    }
    return new Validation(lossSum / n, points == 0 ? Double.NaN : absSum / points);
  }

  private static float[] flat(INDArray a) {
    return a.dup('c').reshape(a.length()).toFloatVector();
  }

  @Override
  public long trainWindows() {
    return train.size();
  }
}
