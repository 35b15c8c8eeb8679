package io.tracecast.training.network;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.registry.ModelOutput;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns {@link Panel}s into the tensors a {@code graph_gru} network ({@link GraphNetworks})
 * takes: the graph analogue of {@link WindowTensors}, and the one place that knows the layout.
 *
 * <p>Features {@code [batch, nodes * (lookback * features + 1)]}: node-major; per node its window
 * exactly as the panel holds it (time-major, element {@code t * F + f}; asinh-squashed when the
 * shape says so, as {@link WindowTensors#features}), then its mask flag (1 present, 0 masked).
 * A panel with fewer nodes than the network is padded with masked nodes.
 *
 * <p>Labels {@code [batch, nodes * outputs]}: node-major, per node the columns of
 * {@link WindowTensors#labels} ({@code outputs = horizon * targets * outputsPerTarget}). The
 * label mask has the same shape, 0 on masked nodes' columns, so they add no loss and no
 * gradient.
 */
public final class PanelTensors {
  private PanelTensors() {}

  /** Values per node in the features tensor. */
  public static int valuesPerNode(NetworkShape shape) {
    return shape.inputLength() + 1;
  }

  public static INDArray features(List<Panel> panels, NetworkShape shape, int nodes) {
    int per = valuesPerNode(shape);
    int window = shape.inputLength();
    float[] buf = new float[panels.size() * nodes * per];
    for (int b = 0; b < panels.size(); b++) {
      Panel p = check(panels.get(b), shape, nodes, b);
      for (int node = 0; node < p.nodes(); node++) {
        if (!p.mask()[node]) {
          continue; // zeros, flag 0
        }
        int base = (b * nodes + node) * per;
        for (int i = 0; i < window; i++) {
          float x = p.inputs()[node * window + i];
          buf[base + i] = shape.squashInputs() ? WindowTensors.asinh(x) : x;
        }
        buf[base + window] = 1;
      }
    }
    return Nd4j.create(buf, new long[] {panels.size(), (long) nodes * per}, 'c');
  }

  /** Labels and their mask, {@code [batch, nodes * outputs]} each. */
  public static INDArray[] labelsAndMask(List<Panel> panels, NetworkShape shape, int nodes,
      int outputsPerTarget) {
    int n = shape.targetLength();
    int outputs = n * outputsPerTarget;
    float[] labels = new float[panels.size() * nodes * outputs];
    float[] mask = new float[labels.length];
    for (int b = 0; b < panels.size(); b++) {
      Panel p = check(panels.get(b), shape, nodes, b);
      for (int node = 0; node < p.nodes(); node++) {
        if (!p.mask()[node]) {
          continue;
        }
        int base = (b * nodes + node) * outputs;
        for (int j = 0; j < n; j++) {
          for (int q = 0; q < outputsPerTarget; q++) {
            int col = base + ModelOutput.column(j, q, outputsPerTarget);
            labels[col] = p.targets()[node * n + j];
            mask[col] = 1;
          }
        }
      }
    }
    long[] s = {panels.size(), (long) nodes * outputs};
    return new INDArray[] {Nd4j.create(labels, s, 'c'), Nd4j.create(mask, s, 'c')};
  }

  public static DataSet dataSet(List<Panel> panels, NetworkShape shape, ModelSpec spec,
      int nodes) {
    INDArray[] labels = labelsAndMask(panels, shape, nodes, spec.outputsPerTarget());
    return new DataSet(features(panels, shape, nodes), labels[0], null, labels[1]);
  }

  private static Panel check(Panel p, NetworkShape shape, int nodes, int row) {
    if (p.nodes() > nodes || p.inputsPerNode() != shape.inputLength()
        || p.targetsPerNode() != shape.targetLength()) {
      throw new IllegalArgumentException("panel " + row + " (" + p.graphId() + "@"
          + p.endMillis() + "): " + p.nodes() + " nodes x " + p.inputsPerNode() + " inputs, "
          + p.targetsPerNode() + " targets; the network takes up to " + nodes + " nodes x "
          + shape.inputLength() + " inputs, " + shape.targetLength() + " targets");
    }
    return p;
  }
}
