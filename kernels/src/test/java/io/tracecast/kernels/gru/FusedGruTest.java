package io.tracecast.kernels.gru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The fused GRU computes the GRU's equations (checked against a plain double-precision loop
 * written from them here), its analytic gradients match numeric ones, its float path matches its
 * double path, and a network holding it survives DL4J's serialisation. Training's GruLayerTest
 * pins it to the SameDiff GRU that trained the registry's older versions.
 */
class FusedGruTest {
  private static final int N_IN = 3;
  private static final int UNITS = 4;
  private static final int STEPS = 5;
  private static final int BATCH = 6;

  private static MultiLayerNetwork network(DataType type, RNNFormat format, Layer... layers) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
    for (Layer l : layers) {
      b.layer(l);
    }
    MultiLayerConfiguration conf = b
        .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
            .build())
        .setInputType(InputType.recurrent(N_IN, STEPS, format)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    // Xavier-initialised biases are zero; random ones exercise the bias paths too.
    Nd4j.getRandom().setSeed(8);
    INDArray bias = net.getLayer(layers.length - 1).getParam(FusedGruParams.BIAS);
    bias.assign(Nd4j.rand(type, bias.shape()).subi(0.5));
    return net;
  }

  private static MultiLayerNetwork network(DataType type, Layer... layers) {
    return network(type, RNNFormat.NCW, layers);
  }

  private static FusedGru gru(int units) {
    return new FusedGru.Builder().units(units).build();
  }

  private static INDArray input(DataType type) {
    Nd4j.getRandom().setSeed(11);
    return Nd4j.rand(type, BATCH, N_IN, STEPS).subi(0.5).muli(4);
  }

  private static INDArray labels(DataType type) {
    Nd4j.getRandom().setSeed(12);
    return Nd4j.rand(type, BATCH, 2);
  }

  /**
   * The GRU's equations, one example and unit at a time, in double: r = sig(x Wr + h Ur + br),
   * u = sig(x Wu + h Uu + bu), c = tanh(x Wc + r * (h Uc) + bc), h' = u h + (1 - u) c, h0 = 0.
   */
  private static double[][] reference(INDArray x, INDArray w, INDArray u, INDArray b) {
    double[][] h = new double[BATCH][UNITS];
    for (int t = 0; t < STEPS; t++) {
      double[][] next = new double[BATCH][UNITS];
      for (int j = 0; j < BATCH; j++) {
        for (int k = 0; k < UNITS; k++) {
          double[] xg = new double[3];
          double[] hg = new double[3];
          for (int g = 0; g < 3; g++) {
            int col = g * UNITS + k;
            xg[g] = b.getDouble(0, col);
            for (int i = 0; i < N_IN; i++) {
              xg[g] += x.getDouble(j, i, t) * w.getDouble(i, col);
            }
            for (int m = 0; m < UNITS; m++) {
              hg[g] += h[j][m] * u.getDouble(m, col);
            }
          }
          double reset = 1 / (1 + Math.exp(-(xg[0] + hg[0])));
          double update = 1 / (1 + Math.exp(-(xg[1] + hg[1])));
          double candidate = Math.tanh(xg[2] + reset * hg[2]);
          next[j][k] = update * h[j][k] + (1 - update) * candidate;
        }
      }
      h = next;
    }
    return h;
  }

  @Test
  void forwardComputesTheGruEquationsInBothPrecisions() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork net = network(type, gru(UNITS));
      INDArray x = input(type);
      INDArray out = net.feedForward(x, false).get(1);
      assertArrayEquals(new long[] {BATCH, UNITS}, out.shape());
      org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
      double[][] expected = reference(x.castTo(DataType.DOUBLE),
          layer.getParam("W").castTo(DataType.DOUBLE), layer.getParam("U").castTo(DataType.DOUBLE),
          layer.getParam("b").castTo(DataType.DOUBLE));
      double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
      double largest = 0;
      for (int j = 0; j < BATCH; j++) {
        for (int k = 0; k < UNITS; k++) {
          assertEquals(expected[j][k], out.getDouble(j, k), tolerance, type + " " + j + "," + k);
          largest = Math.max(largest, Math.abs(expected[j][k]));
        }
      }
      assertTrue(largest > 0.1, "outputs large enough to compare: " + largest);
    }
  }

  @Test
  void gradientsMatchNumericGradientsIncludingTheInputEpsilon() {
    // DL4J's LSTM before the GRU: its parameters' gradients pass through the GRU's input
    // epsilon, so the check covers that too; every step of the recurrence, every gate.
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = network(DataType.DOUBLE,
          new LSTM.Builder().nOut(3).activation(Activation.TANH).build(), gru(UNITS));
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
          .input(input(DataType.DOUBLE)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
          .maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check failed, see the log");
      MultiLayerNetwork alone = network(DataType.DOUBLE, gru(UNITS));
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(alone)
          .input(input(DataType.DOUBLE)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
          .maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check (GRU first) failed");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void floatPathGivesTheGradientsOfTheGradientCheckedDoublePath() {
    MultiLayerNetwork exact = network(DataType.DOUBLE,
        new LSTM.Builder().nOut(3).activation(Activation.TANH).build(), gru(UNITS));
    MultiLayerNetwork fast = network(DataType.FLOAT,
        new LSTM.Builder().nOut(3).activation(Activation.TANH).build(), gru(UNITS));
    fast.setParams(exact.params().castTo(DataType.FLOAT));
    INDArray x = input(DataType.DOUBLE);
    INDArray y = labels(DataType.DOUBLE);
    exact.setInput(x);
    exact.setLabels(y);
    fast.setInput(x.castTo(DataType.FLOAT));
    fast.setLabels(y.castTo(DataType.FLOAT));
    exact.computeGradientAndScore();
    fast.computeGradientAndScore();
    assertEquals(exact.score(), fast.score(), 1e-6);
    INDArray g = exact.gradient().gradient();
    assertTrue(g.amaxNumber().doubleValue() > 1e-2, "gradients large enough to compare");
    double diff = g.sub(fast.gradient().gradient().castTo(DataType.DOUBLE)).amaxNumber()
        .doubleValue();
    assertEquals(0, diff, 1e-5, "largest gradient difference");
  }

  @Test
  void nwcInputGivesWhatNcwGives() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      FusedGru nwcGru = new FusedGru.Builder().units(UNITS).dataFormat(RNNFormat.NWC).build();
      MultiLayerNetwork nwc = network(type, RNNFormat.NWC,
          new LSTM.Builder().nOut(N_IN).dataFormat(RNNFormat.NWC).build(), nwcGru);
      MultiLayerNetwork ncwStack = network(type,
          new LSTM.Builder().nOut(N_IN).build(), gru(UNITS));
      nwc.setParams(ncwStack.params());
      INDArray x = input(type);
      INDArray y = labels(type);
      assertEquals(ncwStack.output(x), nwc.output(x.permute(0, 2, 1).dup()), type + " output");
      ncwStack.setInput(x);
      ncwStack.setLabels(y);
      nwc.setInput(x.permute(0, 2, 1).dup());
      nwc.setLabels(y);
      ncwStack.computeGradientAndScore();
      nwc.computeGradientAndScore();
      assertEquals(ncwStack.gradient().gradient(), nwc.gradient().gradient(), type + " gradients");
      assertTrue(ncwStack.gradient().gradient().amaxNumber().doubleValue() > 1e-3);
    }
  }

  @Test
  void skippingTheInputEpsilonChangesOnlyTheEpsilon() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork full = network(type, gru(UNITS));
      MultiLayerNetwork skipping = network(type,
          new FusedGru.Builder().units(UNITS).inputEpsilon(false).build());
      skipping.setParams(full.params());
      INDArray x = input(type);
      INDArray y = labels(type);
      for (MultiLayerNetwork n : List.of(full, skipping)) {
        n.setInput(x);
        n.setLabels(y);
        n.computeGradientAndScore();
      }
      assertEquals(full.score(), skipping.score(), 0.0, type + " score");
      assertEquals(full.gradient().gradient(), skipping.gradient().gradient(), type + " grads");
      LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
      Nd4j.getRandom().setSeed(16);
      INDArray eps = Nd4j.rand(type, BATCH, UNITS);
      INDArray[] epsilons = new INDArray[2];
      int i = 0;
      for (MultiLayerNetwork n : List.of(full, skipping)) {
        org.deeplearning4j.nn.api.Layer layer = n.getLayer(0);
        layer.setInput(x, mgr);
        layer.activate(true, mgr);
        epsilons[i++] = layer.backpropGradient(eps, mgr).getSecond();
      }
      assertArrayEquals(new long[] {BATCH, N_IN, STEPS}, epsilons[1].shape());
      assertTrue(epsilons[0].amaxNumber().doubleValue() > 1e-3, "a real epsilon to compare");
      assertEquals(0.0, epsilons[1].amaxNumber().doubleValue(), 0.0, type + " skipped epsilon");
    }
  }

  @Test
  void backpropWithoutAStoredForwardPassRecomputesIt() {
    // After an inference forward (which keeps no state for backward) on another input, backprop
    // must recompute the training forward of its own input: same gradients and epsilon.
    MultiLayerNetwork net = network(DataType.FLOAT, gru(UNITS));
    net.initGradientsView();
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = input(DataType.FLOAT);
    Nd4j.getRandom().setSeed(13);
    INDArray eps = Nd4j.rand(DataType.FLOAT, BATCH, UNITS);
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
    MultiLayerNetwork net = network(DataType.FLOAT,
        new FusedGru.Builder().units(UNITS).inputEpsilon(false).build());
    assertEquals(net.getLayerWiseConfigurations(),
        MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
    INDArray x = input(DataType.FLOAT);
    assertEquals(net.output(x), restored.output(x));
    assertEquals(false, ((FusedGru) restored.getLayer(0).conf().getLayer()).isInputEpsilon());
  }

  @Test
  void parametersAreViewsInTheOrderWUb() {
    MultiLayerNetwork net = network(DataType.FLOAT, gru(UNITS));
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    assertArrayEquals(new long[] {N_IN, 3 * UNITS}, layer.getParam("W").shape());
    assertArrayEquals(new long[] {UNITS, 3 * UNITS}, layer.getParam("U").shape());
    assertArrayEquals(new long[] {1, 3 * UNITS}, layer.getParam("b").shape());
    layer.getParam("U").putScalar(1, 2, 42f);
    layer.getParam("b").putScalar(0, 5, 43f);
    long u0 = (long) N_IN * 3 * UNITS;
    assertEquals(42f, layer.params().getFloat(u0 + 3 * UNITS + 2), 0f);
    assertEquals(43f, layer.params().getFloat(u0 + 3L * UNITS * UNITS + 5), 0f);
  }
}
