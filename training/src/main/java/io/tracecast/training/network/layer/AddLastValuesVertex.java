package io.tracecast.training.network.layer;

import io.tracecast.kernels.blas.Gemm;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link AddLastValues}. The gather of the last step's values is a product with
 * a constant 0/1 selection matrix {@code S [features * T, columns]} ({@code S[f * T + T - 1, c] =
 * 1} for {@code f = features[c]}) accumulated onto a copy of the correction: one GEMM, exact for
 * finite inputs (every other term is a product with 0), where a gather through ND4J would cost
 * an op per column.
 */
final class AddLastValuesVertex extends BaseGraphVertex {
  private final int[] features;
  /** S for the last window seen (its width and type), outside every workspace. */
  private INDArray selection;

  AddLastValuesVertex(ComputationGraph graph, String name, int index, int[] features,
      DataType dataType) {
    super(graph, name, index, null, null, dataType);
    this.features = features.clone();
  }

  @Override
  public boolean hasLayer() {
    return false;
  }

  @Override
  public Layer getLayer() {
    return null;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoForward()) {
      throw new IllegalStateException("AddLastValues " + vertexName + ": inputs not set");
    }
    INDArray correction = inputs[0];
    INDArray window = inputs[1].castTo(dataType);
    if (window.rank() != 3 || correction.rank() != 2 || correction.size(1) != features.length
        || correction.size(0) != window.size(0)) {
      throw new IllegalStateException("AddLastValues " + vertexName + ": correction "
          + correction.shapeInfoToString() + " and window " + window.shapeInfoToString()
          + " do not fit " + features.length + " columns");
    }
    long steps = window.size(2);
    long width = window.size(1) * steps;
    INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, correction.castTo(dataType), 'c');
    Gemm.gemm(window.reshape('c', window.size(0), width), selection(width, steps), out, false,
        false, 1, 1);
    return out;
  }

  private INDArray selection(long width, long steps) {
    if (selection == null || selection.size(0) != width || selection.dataType() != dataType) {
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        INDArray s = Nd4j.zeros(dataType, width, features.length);
        for (int c = 0; c < features.length; c++) {
          s.putScalar(features[c] * steps + steps - 1, c, 1.0);
        }
        selection = s;
      }
    }
    return selection;
  }

  /**
   * The correction's gradient is the output's; the window's is null: the window is the network
   * input, whose gradient DL4J drops. This vertex comes after the body in the topological order,
   * so backprop reaches it before the body's first layer, which sets the input's (unused)
   * epsilon afterwards.
   */
  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoBackward()) {
      throw new IllegalStateException("AddLastValues " + vertexName + ": epsilon not set");
    }
    return new Pair<>(null, new INDArray[] {workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon),
        null});
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray view) {
    if (view != null) {
      throw new IllegalArgumentException("AddLastValues has no parameters");
    }
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] masks, MaskState state,
      int minibatchSize) {
    return new Pair<>(masks == null ? null : masks[0], state);
  }

  @Override
  public String toString() {
    return "AddLastValuesVertex(" + vertexName + ", " + features.length + " columns)";
  }
}
