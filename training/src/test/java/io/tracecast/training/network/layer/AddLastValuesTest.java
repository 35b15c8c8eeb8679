package io.tracecast.training.network.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.BitbrainsSample;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.ModelOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The one-vertex residual head against the graph it replaced (LastTimeStepVertex, a
 * SubsetVertex per output column, MergeVertex, ElementWiseVertex), rebuilt here as the
 * reference: same parameters, same outputs, score and gradients, and the same parameters after
 * Adam steps; and DL4J's gradient check in double.
 */
class AddLastValuesTest {
  /** Three features of real cpu windows; targets are features 2 and 0, horizon 3. */
  private static final NetworkShape SHAPE = new NetworkShape(12, 3, 3, 2, List.of(2, 0));

  @ParameterizedTest
  @CsvSource({"mlp, 0.1;0.5;0.9, 12", "mlp, 0.5, 12", "cnn, 0.5, 12", "cnn, 0.1;0.9, 6",
      "lstm, '', 8", "mlp, '', 12"})
  void computesWhatTheVertexGraphItReplacedComputes(String kind, String quantiles,
      int lookbackUsed) {
    List<Double> levels = quantiles.isEmpty() ? List.of()
        : java.util.Arrays.stream(quantiles.split(";")).map(Double::valueOf).toList();
    ModelSpec spec = ModelKinds.network(kind).defaults().withQuantiles(levels).withResidual(true)
        .withLookbackUsed(lookbackUsed);
    ComputationGraph fast = NetworkBuilder.build(spec, SHAPE);
    ComputationGraph reference = new ComputationGraph(referenceConfiguration(spec, SHAPE));
    reference.init(fast.params().dup(), true);
    assertEquals(paramShapes(reference), paramShapes(fast), "same parameter layout");
    DataSet data = windows(48, spec);

    INDArray expected = reference.outputSingle(data.getFeatures());
    INDArray actual = fast.outputSingle(data.getFeatures());
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-6);

    for (ComputationGraph n : List.of(reference, fast)) {
      n.setInputs(data.getFeatures());
      n.setLabels(data.getLabels());
      n.computeGradientAndScore();
    }
    assertEquals(reference.score(), fast.score(), 1e-6 * Math.abs(reference.score()));
    INDArray g0 = reference.gradient().gradient();
    double scale = g0.amaxNumber().doubleValue();
    assertTrue(scale > 1e-4, "non-trivial gradients");
    assertEquals(0, g0.sub(fast.gradient().gradient()).amaxNumber().doubleValue(), 1e-5 * scale);

    for (int step = 0; step < 5; step++) {
      reference.fit(data);
      fast.fit(data);
    }
    assertEquals(0, reference.params().sub(fast.params()).amaxNumber().doubleValue(), 1e-5);
  }

  @Test
  void eachColumnAddsTheLastValueOfItsTargetsFeature() {
    int[] features = {2, 0, 2};
    INDArray window = Nd4j.rand(DataType.FLOAT, 4, 3, 5);
    INDArray correction = Nd4j.rand(DataType.FLOAT, 4, 3);
    ComputationGraph net = gradientCheckNetwork(DataType.FLOAT, features, 3, 5, false);
    // the correction is a second network input here, so the expected sum is known exactly
    INDArray out = net.feedForward(new INDArray[] {window, correction}, false).get("residual");
    for (int b = 0; b < 4; b++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(correction.getFloat(b, c) + window.getFloat(b, features[c], 4),
            out.getFloat(b, c), 1e-6);
      }
    }
  }

  @Test
  void passesDl4jsGradientCheckInDouble() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Nd4j.getRandom().setSeed(7);
      ComputationGraph net = gradientCheckNetwork(DataType.DOUBLE, new int[] {1, 0, 1, 1}, 2, 4,
          true);
      INDArray window = Nd4j.rand(DataType.DOUBLE, 5, 2, 4);
      INDArray labels = Nd4j.rand(DataType.DOUBLE, 5, 4);
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
          .inputs(new INDArray[] {window}).labels(new INDArray[] {labels}).epsilon(1e-6)
          .maxRelError(1e-5).minAbsoluteError(1e-9)));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void survivesJsonAndModelSerializerWithTheSameOutput() throws Exception {
    ModelSpec spec = ModelKinds.MLP.defaults().withQuantiles(List.of(0.5)).withResidual(true);
    ComputationGraph net = NetworkBuilder.build(spec, SHAPE);
    ComputationGraphConfiguration conf = net.getConfiguration();
    assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    ComputationGraph back = ModelSerializer.restoreComputationGraph(
        new ByteArrayInputStream(bytes.toByteArray()), true);
    INDArray x = windows(8, spec).getFeatures();
    assertEquals(net.outputSingle(x), back.outputSingle(x));
  }

  /**
   * The window flattened into an identity dense layer "correction" (or, without it, a second
   * input taken as the correction), the vertex, MSE; no updater, for DL4J's gradient check.
   */
  private static ComputationGraph gradientCheckNetwork(DataType type, int[] features,
      int windowFeatures, int steps, boolean dense) {
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(3).dataType(type)
        .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("window");
    String correction;
    if (dense) {
      g.setInputTypes(InputType.recurrent(windowFeatures, steps, RNNFormat.NCW));
      g.addVertex("flat", new ReshapeVertex('c', new int[] {-1, windowFeatures * steps}, null),
          "window");
      g.addLayer("correction", new DenseLayer.Builder().nOut(features.length)
          .activation(Activation.TANH).build(), "flat");
      correction = "correction";
    } else {
      g.addInputs("correction");
      g.setInputTypes(InputType.recurrent(windowFeatures, steps, RNNFormat.NCW),
          InputType.feedForward(features.length));
      correction = "correction";
    }
    g.addVertex("residual", new AddLastValues(features), correction, "window");
    g.addLayer("out", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY)
        .build(), "residual");
    g.setOutputs("out");
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  /** NetworkBuilder's graph with the residual head as it was built before AddLastValues. */
  private static ComputationGraphConfiguration referenceConfiguration(ModelSpec spec,
      NetworkShape shape) {
    GraphBuilder g = NetworkBuilder.base(spec.training(), DataType.FLOAT)
        .setInputTypes(InputType.recurrent(shape.features(), shape.lookback(), RNNFormat.NCW));
    int seen = spec.stepsSeen(shape.lookback());
    String in = NetworkBuilder.INPUT;
    if (seen < shape.lookback()) {
      g.addLayer("lookback_used", new Cropping1D.Builder(shape.lookback() - seen, 0).build(),
          in);
      in = "lookback_used";
    }
    NetworkShape seenShape = new NetworkShape(seen, shape.features(), shape.horizon(),
        shape.targets(), shape.targetFeatures(), shape.squashInputs());
    String body = ((WindowNetwork) spec.kind()).body(g, spec, seenShape, in);
    int q = spec.outputsPerTarget();
    g.addLayer("correction", new DenseLayer.Builder()
        .nOut(shape.outputLength(spec.quantiles().size())).activation(Activation.IDENTITY)
        .build(), body);
    g.addVertex("last_step", new LastTimeStepVertex(NetworkBuilder.INPUT), NetworkBuilder.INPUT);
    String[] columns = new String[shape.outputLength(spec.quantiles().size())];
    for (int h = 0; h < shape.horizon(); h++) {
      for (int k = 0; k < shape.targets(); k++) {
        int feature = shape.targetFeatures().get(k);
        int j = h * shape.targets() + k;
        for (int i = 0; i < q; i++) {
          int col = ModelOutput.column(j, i, q);
          columns[col] = "last_" + col;
          g.addVertex(columns[col], new SubsetVertex(feature, feature), "last_step");
        }
      }
    }
    g.addVertex("last_values", new MergeVertex(), columns);
    g.addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "correction",
        "last_values");
    g.addLayer(NetworkBuilder.OUTPUT, new LossLayer.Builder(NetworkBuilder.loss(spec))
        .activation(Activation.IDENTITY).build(), "residual");
    return g.setOutputs(NetworkBuilder.OUTPUT).build();
  }

  private static Map<String, List<Long>> paramShapes(ComputationGraph net) {
    Map<String, List<Long>> out = new java.util.LinkedHashMap<>();
    net.paramTable().forEach((k, v) -> out.put(k, java.util.Arrays.stream(v.shape()).boxed()
        .toList()));
    return out;
  }

  /**
   * Real cpu fractions as three features per step (the value, its complement, the value one
   * step earlier); targets: the next {@code horizon} values of features 2 and 0.
   */
  private static DataSet windows(int n, ModelSpec spec) {
    double[] cpu = BitbrainsSample.cpuFractions(n + SHAPE.lookback() + SHAPE.horizon() + 1);
    List<float[]> in = new ArrayList<>();
    List<float[]> out = new ArrayList<>();
    for (int w = 0; w < n; w++) {
      float[] x = new float[SHAPE.lookback() * 3];
      for (int t = 0; t < SHAPE.lookback(); t++) {
        int i = w + 1 + t;
        x[t * 3] = (float) cpu[i];
        x[t * 3 + 1] = (float) (1 - cpu[i]);
        x[t * 3 + 2] = (float) cpu[i - 1];
      }
      float[] y = new float[SHAPE.targetLength()];
      for (int h = 0; h < SHAPE.horizon(); h++) {
        int i = w + 1 + SHAPE.lookback() + h;
        y[h * 2] = (float) cpu[i - 1];
        y[h * 2 + 1] = (float) cpu[i];
      }
      in.add(x);
      out.add(y);
    }
    return WindowTensors.dataSet(in, out, SHAPE, spec);
  }
}
