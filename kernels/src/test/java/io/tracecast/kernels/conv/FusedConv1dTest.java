package io.tracecast.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The fused Conv1D computes what DL4J's {@code Convolution1DLayer} (same padding, stride 1,
 * ReLU, NCW) computes, forward and backward, from the same parameters in the same places and the
 * same initial values; its analytic gradients match numeric ones in double; a network holding it
 * trains like one holding DL4J's layer and survives DL4J's serialisation.
 */
class FusedConv1dTest {
  private static final int STEPS = 7;
  private static final int BATCH = 5;
  private static final int FILTERS = 6;

  private static FusedConv1d fused(int filters, int kernel) {
    return new FusedConv1d.Builder().filters(filters).kernel(kernel).build();
  }

  /** The configuration training's cnn kinds used before the fused layer. */
  private static Convolution1DLayer dl4j(int filters, int kernel) {
    return new Convolution1DLayer.Builder().kernelSize(kernel).stride(1).nOut(filters)
        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
        .rnnDataFormat(RNNFormat.NCW).build();
  }

  private static MultiLayerNetwork network(DataType type, int nIn, IUpdater updater,
      Layer... layers) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(type).updater(updater).weightInit(WeightInit.XAVIER).list();
    for (Layer l : layers) {
      b.layer(l);
    }
    MultiLayerConfiguration conf = b
        .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nOut(2)
            .activation(Activation.IDENTITY).dataFormat(RNNFormat.NCW).build())
        .setInputType(InputType.recurrent(nIn, STEPS, RNNFormat.NCW)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** Random biases (the initial ones are zero) on every layer, the same for the same seed. */
  private static void randomBiases(MultiLayerNetwork net, DataType type) {
    Nd4j.getRandom().setSeed(8);
    for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
      INDArray bias = l.getParam("b");
      if (bias != null) {
        bias.assign(Nd4j.rand(type, bias.shape()).subi(0.5));
      }
    }
  }

  private static INDArray input(DataType type, int nIn) {
    Nd4j.getRandom().setSeed(11);
    return Nd4j.rand(type, BATCH, nIn, STEPS).subi(0.5).muli(4);
  }

  private static INDArray labels(DataType type) {
    Nd4j.getRandom().setSeed(12);
    return Nd4j.rand(type, BATCH, 2, STEPS);
  }

  /** Largest |a - b| over the largest |b|: a relative difference of whole arrays. */
  private static double relative(INDArray a, INDArray b) {
    assertArrayEquals(b.shape(), a.shape(), "shapes");
    double scale = b.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    assertTrue(scale > 1e-3, "values large enough to compare: " + scale);
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue()
        / scale;
  }

  @Test
  void startsFromDl4jsParametersInDl4jsLayout() {
    MultiLayerNetwork ours = network(DataType.FLOAT, 9, new NoOp(), fused(32, 3));
    MultiLayerNetwork theirs = network(DataType.FLOAT, 9, new NoOp(), dl4j(32, 3));
    org.deeplearning4j.nn.api.Layer a = ours.getLayer(0);
    org.deeplearning4j.nn.api.Layer b = theirs.getLayer(0);
    assertEquals(List.copyOf(b.paramTable().keySet()), List.copyOf(a.paramTable().keySet()));
    for (String key : b.paramTable().keySet()) {
      assertArrayEquals(b.getParam(key).shape(), a.getParam(key).shape(), key);
    }
    assertEquals(theirs.params(), ours.params(), "same seed, same initial parameters");
    assertTrue(ours.params().amaxNumber().doubleValue() > 0.05, "weights drawn");
    a.getParam("b").putScalar(3, 43f);
    assertEquals(43f, a.params().getFloat(3), 0f, "b first in the flat view");
  }

  @Test
  void readsTheWeightBufferAsKernelChannelFilter() {
    // One weight set, for filter 2, input channel 1, kernel offset 1 of 2 (DL4J's same padding
    // puts the one pad after the last step): the output is that channel one step ahead.
    int nIn = 2;
    int filters = 3;
    MultiLayerNetwork net = network(DataType.FLOAT, nIn, new NoOp(), fused(filters, 2));
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    INDArray w = layer.getParam("W");
    w.assign(0);
    w.reshape(w.length()).putScalar((1 * nIn + 1) * filters + 2, 1f);
    INDArray x = input(DataType.FLOAT, nIn).add(10);
    INDArray out = net.feedForward(x, false).get(1);
    for (int b = 0; b < BATCH; b++) {
      for (int o = 0; o < filters; o++) {
        for (int t = 0; t < STEPS; t++) {
          float expected = o == 2 && t + 1 < STEPS ? x.getFloat(b, 1, t + 1) : 0f;
          assertEquals(expected, out.getFloat(b, o, t), 0f, b + "," + o + "," + t);
        }
      }
    }
  }

  @Test
  void forwardBackwardAndEpsilonEqualDl4jsConvolution() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (int kernel : new int[] {1, 2, 3, 4, 5}) {
        for (int nIn : new int[] {1, 4, 9}) {
          String what = type + " kernel " + kernel + ", " + nIn + " channels";
          MultiLayerNetwork theirs = network(type, nIn, new NoOp(), dl4j(FILTERS, kernel));
          MultiLayerNetwork ours = network(type, nIn, new NoOp(), fused(FILTERS, kernel));
          randomBiases(theirs, type);
          ours.setParams(theirs.params());
          INDArray x = input(type, nIn);
          Nd4j.getRandom().setSeed(13);
          INDArray eps = Nd4j.rand(type, BATCH, FILTERS, STEPS).subi(0.5);
          Pair<Gradient, INDArray>[] results = new Pair[2];
          INDArray[] outputs = new INDArray[2];
          int i = 0;
          for (MultiLayerNetwork n : List.of(theirs, ours)) {
            n.initGradientsView();
            org.deeplearning4j.nn.api.Layer layer = n.getLayer(0);
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            layer.setInput(x, mgr);
            outputs[i] = layer.activate(true, mgr).dup();
            results[i++] = layer.backpropGradient(eps, mgr);
          }
          double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
          assertTrue(outputs[0].lt(0).any() || outputs[0].eq(0).any(), "ReLU cuts: " + what);
          assertTrue(relative(outputs[1], outputs[0]) < tolerance, "output " + what);
          // The flat gradients the updater reads: b's (the first FILTERS) and W's.
          INDArray expected = results[0].getFirst().gradient();
          INDArray actual = results[1].getFirst().gradient();
          long n = expected.length();
          assertEquals(n, actual.length());
          assertTrue(relative(actual.reshape(n).get(NDArrayIndex.interval(0, FILTERS)),
              expected.reshape(n).get(NDArrayIndex.interval(0, FILTERS))) < tolerance,
              "b " + what);
          assertTrue(relative(actual.reshape(n).get(NDArrayIndex.interval(FILTERS, n)),
              expected.reshape(n).get(NDArrayIndex.interval(FILTERS, n))) < tolerance,
              "W " + what);
          assertTrue(relative(results[1].getSecond(), results[0].getSecond()) < tolerance,
              "epsilon " + what);
        }
      }
    }
  }

  @Test
  void gradientsMatchNumericGradientsIncludingTheInputEpsilon() {
    // An LSTM before the convolution: its parameters' gradients pass through the convolution's
    // input epsilon, so the check covers that too; an even and an odd kernel.
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      for (int kernel : new int[] {2, 3}) {
        MultiLayerNetwork net = network(DataType.DOUBLE, 3, new NoOp(),
            new LSTM.Builder().nOut(4).activation(Activation.TANH).build(),
            fused(FILTERS, kernel));
        randomBiases(net, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
            .input(input(DataType.DOUBLE, 3)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
            .maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check, kernel " + kernel);
        MultiLayerNetwork alone = network(DataType.DOUBLE, 3, new NoOp(), fused(FILTERS, kernel));
        randomBiases(alone, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(alone)
            .input(input(DataType.DOUBLE, 3)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
            .maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check (first), kernel "
            + kernel);
      }
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void trainsLikeDl4jsConvolutionFromTheSameStart() {
    MultiLayerNetwork theirs = network(DataType.FLOAT, 9, new Adam(1e-2), dl4j(FILTERS, 3));
    MultiLayerNetwork ours = network(DataType.FLOAT, 9, new Adam(1e-2), fused(FILTERS, 3));
    assertEquals(theirs.params(), ours.params());
    DataSet data = new DataSet(input(DataType.FLOAT, 9), labels(DataType.FLOAT));
    double first = 0;
    for (int step = 0; step < 5; step++) {
      theirs.fit(data);
      ours.fit(data);
      assertEquals(theirs.score(), ours.score(), 1e-5 * Math.abs(theirs.score()),
          "score after step " + step);
      first = step == 0 ? theirs.score() : first;
    }
    assertTrue(theirs.score() < first, "the steps trained: " + first + " -> " + theirs.score());
    assertTrue(relative(ours.params(), theirs.params()) < 1e-5, "parameters after 5 steps");
  }

  @Test
  void skippingTheInputEpsilonChangesOnlyTheEpsilon() {
    MultiLayerNetwork full = network(DataType.FLOAT, 4, new NoOp(), fused(FILTERS, 3));
    MultiLayerNetwork skipping = network(DataType.FLOAT, 4, new NoOp(),
        new FusedConv1d.Builder().filters(FILTERS).kernel(3).inputEpsilon(false).build());
    randomBiases(full, DataType.FLOAT);
    skipping.setParams(full.params());
    INDArray x = input(DataType.FLOAT, 4);
    Nd4j.getRandom().setSeed(16);
    INDArray eps = Nd4j.rand(DataType.FLOAT, BATCH, FILTERS, STEPS).subi(0.5);
    Pair<Gradient, INDArray>[] results = new Pair[2];
    int i = 0;
    for (MultiLayerNetwork n : List.of(full, skipping)) {
      n.initGradientsView();
      org.deeplearning4j.nn.api.Layer layer = n.getLayer(0);
      LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
      layer.setInput(x, mgr);
      layer.activate(true, mgr);
      results[i++] = layer.backpropGradient(eps, mgr);
    }
    assertEquals(results[0].getFirst().gradient(), results[1].getFirst().gradient());
    assertArrayEquals(new long[] {BATCH, 4, STEPS}, results[1].getSecond().shape());
    assertTrue(results[0].getSecond().amaxNumber().doubleValue() > 1e-3, "a real epsilon");
    assertEquals(0.0, results[1].getSecond().amaxNumber().doubleValue(), 0.0, "skipped");
  }

  @Test
  void backpropWithoutAStoredForwardPassRecomputesIt() {
    // After an inference forward (which keeps no state for backward) on another input, backprop
    // must recompute the training forward of its own input: same gradients and epsilon.
    MultiLayerNetwork net = network(DataType.FLOAT, 4, new NoOp(), fused(FILTERS, 3));
    randomBiases(net, DataType.FLOAT);
    net.initGradientsView();
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = input(DataType.FLOAT, 4);
    Nd4j.getRandom().setSeed(13);
    INDArray eps = Nd4j.rand(DataType.FLOAT, BATCH, FILTERS, STEPS);
    layer.setInput(x, mgr);
    layer.activate(true, mgr);
    Pair<Gradient, INDArray> stored = layer.backpropGradient(eps, mgr);
    INDArray storedGrad = stored.getFirst().gradient().dup();
    INDArray storedEps = stored.getSecond().dup();
    layer.setInput(x.mul(-1), mgr);
    layer.activate(false, mgr);
    layer.setInput(x, mgr);
    Pair<Gradient, INDArray> recomputed = layer.backpropGradient(eps, mgr);
    assertEquals(storedGrad, recomputed.getFirst().gradient());
    assertEquals(storedEps, recomputed.getSecond());
    assertTrue(storedGrad.amaxNumber().doubleValue() > 0);
  }

  @Test
  void survivesModelSerializerAndJsonWithIdenticalOutput(@TempDir Path dir) throws Exception {
    MultiLayerNetwork net = network(DataType.FLOAT, 4, new NoOp(),
        new FusedConv1d.Builder().filters(FILTERS).kernel(2).inputEpsilon(false).build());
    assertEquals(net.getLayerWiseConfigurations(),
        MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
    INDArray x = input(DataType.FLOAT, 4);
    assertEquals(net.output(x), restored.output(x));
    FusedConv1d conf = (FusedConv1d) restored.getLayer(0).conf().getLayer();
    assertFalse(conf.isInputEpsilon());
    assertEquals(2, conf.getKernel());
  }

  @Test
  void rejectsWhatItDoesNotCompute() {
    assertThrows(IllegalArgumentException.class,
        () -> new FusedConv1d.Builder().filters(4).kernel(3).activation(Activation.TANH).build());
    assertThrows(IllegalArgumentException.class,
        () -> new FusedConv1d.Builder().filters(4).build());
  }
}
