package io.tracecast.training.network.layer;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The residual head's sum in one vertex: {@code out[b, c] = correction[b, c] + window[b,
 * features[c], T - 1]}, with inputs (correction {@code [batch, columns]}, the network's window
 * {@code [batch, features, T]}, NCW). The same values as DL4J's {@code LastTimeStepVertex} on
 * the window, one {@code SubsetVertex} per output column, a {@code MergeVertex} and an
 * {@code ElementWiseVertex(Add)} (the graph {@code NetworkBuilder} built before; networks saved
 * with it still load as they are), at 2 ND4J operations forward and 1 backward instead of about
 * 4 per column: at horizon 12 those vertices were about a fifth of the mlp's epoch
 * (bench/README.md, issue 24). No parameters, and no gradient into the window: only the network
 * input feeds it, and nothing trains that.
 */
public final class AddLastValues extends GraphVertex {
  private static final long serialVersionUID = 1L;

  /** Per output column, the window feature whose last step it adds; each >= 0. */
  @JsonProperty("features")
  private final int[] features;

  public AddLastValues(@JsonProperty("features") int[] features) {
    if (features == null || features.length == 0) {
      throw new IllegalArgumentException("AddLastValues needs at least one output column");
    }
    for (int f : features) {
      if (f < 0) {
        throw new IllegalArgumentException("feature positions must be >= 0, got "
            + Arrays.toString(features));
      }
    }
    this.features = features.clone();
  }

  public int[] getFeatures() {
    return features.clone();
  }

  @Override
  public AddLastValues clone() {
    return new AddLastValues(features);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddLastValues a && Arrays.equals(features, a.features);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(features);
  }

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 2;
  }

  @Override
  public int maxVertexInputs() {
    return 2;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new AddLastValuesVertex(graph, name, idx, features, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... inputs)
      throws InvalidInputTypeException {
    if (inputs.length != 2 || inputs[0].getType() != InputType.Type.FF
        || inputs[1].getType() != InputType.Type.RNN) {
      throw new InvalidInputTypeException("AddLastValues takes (correction [batch, columns], "
          + "window [batch, features, time]), got " + Arrays.toString(inputs));
    }
    long columns = ((InputType.InputTypeFeedForward) inputs[0]).getSize();
    long windowFeatures = ((InputType.InputTypeRecurrent) inputs[1]).getSize();
    if (columns != features.length) {
      throw new InvalidInputTypeException("AddLastValues: correction has " + columns
          + " columns, the vertex adds " + features.length);
    }
    for (int f : features) {
      if (f >= windowFeatures) {
        throw new InvalidInputTypeException("AddLastValues: feature " + f + " of a window of "
            + windowFeatures + " features");
      }
    }
    return inputs[0];
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    return new LayerMemoryReport.Builder(null, AddLastValues.class, inputTypes[1], inputTypes[0])
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }
}
