package io.tracecast.kernels.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The fused dense stack is the DL4J DenseLayers (ReLU) it replaces: same initial parameters in
 * the same places from the same seed, same outputs, score, parameter gradients and input
 * epsilon, the same parameters after Adam steps with element-wise clipping (tracecast's
 * training setup); its analytic gradients match numeric ones in double; it survives DL4J's
 * serialisation.
 */
class FusedDenseTest {
  private static final int CHANNELS = 3;
  private static final int STEPS = 4;
  /** The flat input: a window of CHANNELS x STEPS. */
  private static final int N_IN = CHANNELS * STEPS;
  private static final int[] UNITS = {6, 5};
  private static final int BATCH = 9;
  private static final int OUT = 3;

  /**
   * A network of {@code layers} then an MSE output layer; with an updater, tracecast's
   * element-wise gradient clipping too (the gradient check runs the updater, so NoOp goes
   * without it).
   */
  private static MultiLayerNetwork network(DataType type, IUpdater updater, Layer... layers) {
    NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(type).updater(updater).weightInit(WeightInit.XAVIER);
    if (!(updater instanceof NoOp)) {
      base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
          .gradientNormalizationThreshold(0.05);
    }
    NeuralNetConfiguration.ListBuilder b = base.list();
    for (Layer l : layers) {
      b.layer(l);
    }
    MultiLayerConfiguration conf = b
        .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(OUT)
            .activation(Activation.IDENTITY).build())
        .setInputType(InputType.feedForward(N_IN)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static FusedDense fused() {
    return new FusedDense.Builder().units(UNITS).build();
  }

  /** The DenseLayers the fused stack replaces. */
  private static Layer[] dense() {
    return new Layer[] {
        new DenseLayer.Builder().nOut(UNITS[0]).activation(Activation.RELU).build(),
        new DenseLayer.Builder().nOut(UNITS[1]).activation(Activation.RELU).build()};
  }

  /** Random biases (initialised to zero) so the bias paths count; the same in every network. */
  private static void randomBiases(MultiLayerNetwork net, long seed) {
    INDArray p = net.params();
    Nd4j.getRandom().setSeed(seed);
    INDArray noise = Nd4j.rand(p.dataType(), p.shape()).subi(0.5).muli(0.2);
    net.setParams(p.add(noise));
  }

  private static INDArray input(DataType type) {
    Nd4j.getRandom().setSeed(11);
    return Nd4j.rand(type, BATCH, N_IN).subi(0.5).muli(4);
  }

  private static INDArray labels(DataType type) {
    Nd4j.getRandom().setSeed(12);
    return Nd4j.rand(type, BATCH, OUT);
  }

  /** A plain double loop: relu(relu(x W0 + b0) W1 + b1), parameters read from the layer. */
  private static double[][] reference(INDArray x, org.deeplearning4j.nn.api.Layer layer) {
    double[][] a = x.castTo(DataType.DOUBLE).toDoubleMatrix();
    for (int i = 0; i < UNITS.length; i++) {
      INDArray w = layer.getParam(FusedDenseParams.weights(i)).castTo(DataType.DOUBLE);
      INDArray b = layer.getParam(FusedDenseParams.bias(i)).castTo(DataType.DOUBLE);
      double[][] next = new double[BATCH][UNITS[i]];
      for (int r = 0; r < BATCH; r++) {
        for (int u = 0; u < UNITS[i]; u++) {
          double z = b.getDouble(0, u);
          for (int k = 0; k < a[r].length; k++) {
            z += a[r][k] * w.getDouble(k, u);
          }
          next[r][u] = Math.max(z, 0);
        }
      }
      a = next;
    }
    return a;
  }

  @Test
  void forwardComputesTheReluLayersInBothPrecisions() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork net = network(type, new NoOp(), fused());
      randomBiases(net, 3);
      INDArray x = input(type);
      INDArray out = net.feedForward(x, false).get(1);
      assertArrayEquals(new long[] {BATCH, UNITS[1]}, out.shape());
      double[][] expected = reference(x, net.getLayer(0));
      double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
      int active = 0;
      for (int r = 0; r < BATCH; r++) {
        for (int u = 0; u < UNITS[1]; u++) {
          assertEquals(expected[r][u], out.getDouble(r, u), tolerance, type + " " + r + "," + u);
          active += expected[r][u] > 0 ? 1 : 0;
        }
      }
      assertTrue(active > 5 && active < BATCH * UNITS[1] - 5, "ReLU both on and off: " + active);
    }
  }

  @Test
  void startsFromTheDenseLayersParametersInTheirPlaces() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork reference = network(type, new NoOp(), dense());
      MultiLayerNetwork net = network(type, new NoOp(), fused());
      assertEquals(reference.params(), net.params(), type + ": same seed, same numbers");
      org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
      for (int i = 0; i < UNITS.length; i++) {
        assertEquals(reference.getLayer(i).getParam("W"),
            layer.getParam(FusedDenseParams.weights(i)), "W" + i);
        // DenseLayer's b is [u], the fused stack's [1, u] (the gemv's row): same numbers.
        assertEquals(reference.getLayer(i).getParam("b").reshape(1, UNITS[i]),
            layer.getParam(FusedDenseParams.bias(i)), "b" + i);
      }
    }
  }

  @Test
  void givesTheDenseLayersOutputsGradientsAndInputEpsilon() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork reference = network(type, new NoOp(), dense());
      randomBiases(reference, 4);
      MultiLayerNetwork net = network(type, new NoOp(), fused());
      net.setParams(reference.params());
      INDArray x = input(type);
      INDArray y = labels(type);
      double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
      assertEquals(0, reference.output(x).sub(net.output(x)).amaxNumber().doubleValue(),
          tolerance, type + " output");
      Pair<Gradient, INDArray> expected = reference.calculateGradients(x, y, null, null);
      Pair<Gradient, INDArray> actual = net.calculateGradients(x, y, null, null);
      INDArray g = expected.getFirst().gradient();
      assertTrue(g.amaxNumber().doubleValue() > 1e-2, "gradients large enough to compare");
      assertEquals(0, g.sub(actual.getFirst().gradient()).amaxNumber().doubleValue(),
          tolerance, type + " parameter gradients");
      INDArray eps = expected.getSecond();
      assertTrue(eps.amaxNumber().doubleValue() > 1e-2, "input epsilon large enough to compare");
      assertEquals(0, eps.sub(actual.getSecond()).amaxNumber().doubleValue(), tolerance,
          type + " input epsilon");
      reference.setInput(x);
      reference.setLabels(y);
      net.setInput(x);
      net.setLabels(y);
      reference.computeGradientAndScore();
      net.computeGradientAndScore();
      assertEquals(reference.score(), net.score(), tolerance, type + " score");
    }
  }

  @Test
  void adamStepsWithClippingTrainTheDenseLayersNumbers() {
    MultiLayerNetwork reference = network(DataType.FLOAT, new Adam(1e-2), dense());
    MultiLayerNetwork net = network(DataType.FLOAT, new Adam(1e-2), fused());
    assertEquals(reference.params(), net.params());
    DataSet batch = new DataSet(input(DataType.FLOAT), labels(DataType.FLOAT));
    INDArray start = net.params().dup();
    for (int step = 0; step < 8; step++) {
      reference.fit(batch);
      net.fit(batch);
      assertEquals(reference.score(), net.score(), 1e-5, "score after step " + step);
    }
    assertTrue(net.params().sub(start).amaxNumber().doubleValue() > 1e-2, "the steps moved it");
    assertEquals(0, reference.params().sub(net.params()).amaxNumber().doubleValue(), 1e-5,
        "parameters after 8 Adam steps");
  }

  @Test
  void gradientsMatchNumericGradientsIncludingTheInputEpsilon() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      // A tanh DenseLayer before the stack: its gradients pass through the stack's input
      // epsilon, so the check covers that too.
      MultiLayerNetwork net = network(DataType.DOUBLE, new NoOp(),
          new DenseLayer.Builder().nOut(N_IN).activation(Activation.TANH).build(), fused());
      randomBiases(net, 5);
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
          .input(input(DataType.DOUBLE)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
          .maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check failed, see the log");
      MultiLayerNetwork alone = network(DataType.DOUBLE, new NoOp(),
          new FusedDense.Builder().units(UNITS[0], UNITS[1], 4).build());
      randomBiases(alone, 6);
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(alone)
          .input(input(DataType.DOUBLE)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
          .maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check (3 layers) failed");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void skippingTheInputEpsilonChangesOnlyTheEpsilon() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork full = network(type, new NoOp(), fused());
      randomBiases(full, 7);
      MultiLayerNetwork skipping = network(type, new NoOp(),
          new FusedDense.Builder().units(UNITS).inputEpsilon(false).build());
      skipping.setParams(full.params());
      INDArray x = input(type);
      INDArray y = labels(type);
      Pair<Gradient, INDArray> a = full.calculateGradients(x, y, null, null);
      Pair<Gradient, INDArray> b = skipping.calculateGradients(x, y, null, null);
      assertEquals(a.getFirst().gradient(), b.getFirst().gradient(), type + " gradients");
      assertArrayEquals(new long[] {BATCH, N_IN}, b.getSecond().shape());
      assertTrue(a.getSecond().amaxNumber().doubleValue() > 1e-3, "a real epsilon to compare");
      assertEquals(0.0, b.getSecond().amaxNumber().doubleValue(), 0.0, type + " skipped");
    }
  }

  @Test
  void backpropWithoutAStoredForwardPassRecomputesIt() {
    // After an inference forward on another input (and another batch size), backprop must
    // recompute the training forward of its own input: same gradients and epsilon.
    MultiLayerNetwork net = network(DataType.FLOAT, new NoOp(), fused());
    randomBiases(net, 8);
    net.initGradientsView();
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = input(DataType.FLOAT);
    Nd4j.getRandom().setSeed(13);
    INDArray eps = Nd4j.rand(DataType.FLOAT, BATCH, UNITS[1]);
    layer.setInput(x, mgr);
    layer.activate(true, mgr);
    Pair<Gradient, INDArray> stored = layer.backpropGradient(eps, mgr);
    INDArray storedGrad = stored.getFirst().gradient().dup();
    INDArray storedEps = stored.getSecond().dup();
    layer.setInput(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).mul(-1), mgr);
    layer.activate(false, mgr);
    layer.setInput(x, mgr);
    Pair<Gradient, INDArray> recomputed = layer.backpropGradient(eps, mgr);
    assertEquals(storedGrad, recomputed.getFirst().gradient());
    assertEquals(storedEps, recomputed.getSecond());
    assertTrue(storedGrad.amaxNumber().doubleValue() > 0);
  }

  @Test
  void survivesModelSerializerAndJsonWithIdenticalOutput(@TempDir Path dir) throws Exception {
    MultiLayerNetwork net = network(DataType.FLOAT, new Adam(1e-3),
        new FusedDense.Builder().units(UNITS).inputEpsilon(false).build());
    assertEquals(net.getLayerWiseConfigurations(),
        MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
    INDArray x = input(DataType.FLOAT);
    assertEquals(net.output(x), restored.output(x));
    FusedDense conf = (FusedDense) restored.getLayer(0).conf().getLayer();
    assertEquals(false, conf.isInputEpsilon());
    assertEquals(List.of(UNITS[0], UNITS[1]), List.of(conf.units(0), conf.units(1)));
  }

  /**
   * A graph over a recurrent {@code [batch, C, T]} input: {@code ReshapeVertex('c', [-1, C*T])}
   * then the DenseLayers, or the fused stack reading the window itself.
   */
  private static ComputationGraph windowGraph(DataType type, boolean fusedStack) {
    ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("window").setInputTypes(InputType.recurrent(CHANNELS, STEPS, RNNFormat.NCW));
    String last;
    if (fusedStack) {
      g.addLayer("dense", fused(), "window");
      last = "dense";
    } else {
      Layer[] d = dense();
      g.addVertex("flat", new ReshapeVertex('c', new int[] {-1, N_IN}, null), "window");
      g.addLayer("dense1", d[0], "flat");
      g.addLayer("dense2", d[1], "dense1");
      last = "dense2";
    }
    g.addLayer("out", new OutputLayer.Builder(LossFunction.MSE).nOut(OUT)
        .activation(Activation.IDENTITY).build(), last).setOutputs("out");
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  private static INDArray window(DataType type) {
    return input(type).reshape('c', BATCH, CHANNELS, STEPS);
  }

  @Test
  void readsAWindowAsReshapeVertexThenDenseLayersDo() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      ComputationGraph reference = windowGraph(type, false);
      ComputationGraph net = windowGraph(type, true);
      assertEquals(reference.params(), net.params(), type + " initial parameters");
      Nd4j.getRandom().setSeed(15);
      INDArray p = reference.params();
      reference.setParams(p.add(Nd4j.rand(type, p.shape()).subi(0.5).muli(0.2)));
      net.setParams(reference.params());
      INDArray x = window(type);
      INDArray y = labels(type);
      double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
      assertEquals(0, reference.outputSingle(x).sub(net.outputSingle(x)).amaxNumber()
          .doubleValue(), tolerance, type + " output");
      for (ComputationGraph n : List.of(reference, net)) {
        n.setInputs(x);
        n.setLabels(y);
        n.computeGradientAndScore();
      }
      assertEquals(reference.score(), net.score(), tolerance, type + " score");
      INDArray g = reference.gradient().gradient();
      assertTrue(g.amaxNumber().doubleValue() > 1e-2, "gradients large enough to compare");
      assertEquals(0, g.sub(net.gradient().gradient()).amaxNumber().doubleValue(), tolerance,
          type + " gradients");
      // The window's epsilon is the flat input's, in the window's shape.
      LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
      org.deeplearning4j.nn.api.Layer layer = net.getLayer("dense");
      Nd4j.getRandom().setSeed(16);
      INDArray eps = Nd4j.rand(type, BATCH, UNITS[1]);
      layer.setInput(x, mgr);
      layer.activate(true, mgr);
      INDArray windowEps = layer.backpropGradient(eps, mgr).getSecond().dup();
      layer.setInput(x.reshape('c', BATCH, N_IN), mgr);
      layer.activate(true, mgr);
      INDArray flatEps = layer.backpropGradient(eps, mgr).getSecond();
      assertArrayEquals(new long[] {BATCH, CHANNELS, STEPS}, windowEps.shape());
      assertTrue(flatEps.amaxNumber().doubleValue() > 1e-3, "a real epsilon to compare");
      assertEquals(flatEps.reshape('c', BATCH, CHANNELS, STEPS), windowEps, type + " epsilon");
    }
  }

  @Test
  void gradientsMatchNumericGradientsThroughAWindowInput() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      // An LSTM (NCW out) before the stack: its gradients pass through the window's epsilon.
      ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(7)
          .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
          .graphBuilder().addInputs("window")
          .setInputTypes(InputType.recurrent(CHANNELS, STEPS, RNNFormat.NCW))
          .addLayer("lstm", new LSTM.Builder().nOut(CHANNELS).activation(Activation.TANH)
              .build(), "window")
          .addLayer("dense", fused(), "lstm")
          .addLayer("out", new OutputLayer.Builder(LossFunction.MSE).nOut(OUT)
              .activation(Activation.IDENTITY).build(), "dense")
          .setOutputs("out").build());
      net.init();
      Nd4j.getRandom().setSeed(17);
      INDArray p = net.params();
      net.setParams(p.add(Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5).muli(0.2)));
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
          .inputs(new INDArray[] {window(DataType.DOUBLE)})
          .labels(new INDArray[] {labels(DataType.DOUBLE)}).epsilon(1e-6).maxRelError(1e-5)
          .minAbsoluteError(1e-9)), "gradient check (window input) failed");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void floatPathIssuesNoNd4jOp() {
    // The point of the layer: every product goes straight to BLAS on the flat rows, so a
    // forward and backward pass in float on the CPU backend is no ND4J op at all (DL4J hands the
    // layer rank-1 f-order rows; building products on those silently took ND4J's op path).
    MultiLayerNetwork net = network(DataType.FLOAT, new Adam(1e-3), fused());
    net.initGradientsView();
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = input(DataType.FLOAT);
    Nd4j.getRandom().setSeed(14);
    INDArray eps = Nd4j.rand(DataType.FLOAT, BATCH, UNITS[1]);
    layer.setInput(x, mgr);
    layer.activate(true, mgr); // the scratch, made once per batch size, is not counted
    OpProfiler.getInstance().reset();
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true)
        .build());
    try {
      layer.setInput(x, mgr);
      layer.activate(true, mgr);
      layer.backpropGradient(eps, mgr);
      assertEquals(0, OpProfiler.getInstance().getInvocationsCount(),
          OpProfiler.getInstance().getOpCounter().asString());
    } finally {
      Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
      OpProfiler.getInstance().reset();
    }
  }

  @Test
  void rejectsOtherActivationsAndEmptyStacks() {
    assertThrows(IllegalArgumentException.class,
        () -> new FusedDense.Builder().units(4).activation(Activation.TANH).build());
    assertThrows(IllegalArgumentException.class, () -> new FusedDense.Builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> new FusedDense.Builder().units(4, 0).build());
  }
}
