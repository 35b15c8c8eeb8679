package io.tracecast.kernels.lstm;

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
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The fused LSTM computes what DL4J's LSTM computes (same weights, same outputs), its analytic
 * gradients match numeric ones, and a network holding it survives DL4J's serialisation.
 */
class FusedLstmTest {
  private static final int N_IN = 3;
  private static final int UNITS = 4;
  private static final int STEPS = 5;
  private static final int BATCH = 6;

  private static MultiLayerNetwork network(DataType type, Layer... recurrent) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
    for (Layer l : recurrent) {
      b.layer(l);
    }
    MultiLayerConfiguration conf = b
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
            .build())
        .setInputType(InputType.recurrent(N_IN, STEPS, RNNFormat.NCW)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static FusedLstm fused(int units, boolean bidirectional) {
    return new FusedLstm.Builder().units(units).bidirectional(bidirectional).build();
  }

  private static FusedLstm fused(int units, boolean bidirectional, RNNFormat in, RNNFormat out) {
    return new FusedLstm.Builder().units(units).bidirectional(bidirectional).dataFormat(in)
        .outputFormat(out).build();
  }

  private static INDArray input(DataType type) {
    Nd4j.getRandom().setSeed(11);
    return Nd4j.rand(type, BATCH, N_IN, STEPS).subi(0.5).muli(2);
  }

  @Test
  void gradientsMatchNumericGradientsInBothDirectionsOverSeveralSteps() {
    // Bidirectional layer, then a unidirectional one on its 2 x 4 outputs: every gate, both
    // directions, the recurrent path across 5 steps and the input epsilon are exercised.
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      checkGradients();
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  private void checkGradients() {
    MultiLayerNetwork net = network(DataType.DOUBLE, fused(UNITS, true), fused(3, false));
    Nd4j.getRandom().setSeed(12);
    INDArray labels = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
        .input(input(DataType.DOUBLE)).labels(labels).epsilon(1e-6).maxRelError(1e-5)
        .minAbsoluteError(1e-9));
    assertTrue(ok, "gradient check failed, see the log for the parameters");
    // bilstm_attention's arrangement: NCW in, NWC between the layers, NCW out.
    MultiLayerNetwork mixed = network(DataType.DOUBLE,
        fused(UNITS, true, RNNFormat.NCW, RNNFormat.NWC),
        fused(3, false, RNNFormat.NWC, RNNFormat.NCW));
    assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(mixed)
        .input(input(DataType.DOUBLE)).labels(labels).epsilon(1e-6).maxRelError(1e-5)
        .minAbsoluteError(1e-9)), "gradient check of the NWC-between network failed");
  }

  @Test
  void nwcBetweenLayersChangesTheLayoutOnly() {
    // Same weights and data, float (row copies in FloatCellSteps) and double (permuted to NCW):
    // the NCW -> NWC -> NCW stack computes what the all-NCW one does, and its first layer's
    // output is that one's, transposed.
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork ncw = network(type, fused(UNITS, true), fused(3, true));
      MultiLayerNetwork mixed = network(type, fused(UNITS, true, RNNFormat.NCW, RNNFormat.NWC),
          fused(3, true, RNNFormat.NWC, RNNFormat.NCW));
      mixed.setParams(ncw.params());
      INDArray x = input(type);
      Nd4j.getRandom().setSeed(14);
      INDArray y = Nd4j.rand(type, BATCH, 2);
      INDArray first = mixed.feedForward(x, false).get(1);
      assertArrayEquals(new long[] {BATCH, STEPS, 2 * UNITS}, first.shape());
      assertEquals(ncw.feedForward(x, false).get(1), first.permute(0, 2, 1), type + " layer 0");
      for (MultiLayerNetwork n : List.of(ncw, mixed)) {
        n.setInput(x);
        n.setLabels(y);
        n.computeGradientAndScore();
      }
      assertEquals(ncw.score(), mixed.score(), 0.0, type + " score");
      INDArray g = ncw.gradient().gradient();
      assertTrue(g.amaxNumber().doubleValue() > 1e-3, "gradients large enough to compare");
      assertEquals(g, mixed.gradient().gradient(), type + " gradients");
    }
  }

  @Test
  void forwardEqualsDl4jBidirectionalLstmGivenTheSameWeights() {
    MultiLayerNetwork reference = network(DataType.FLOAT,
        new Bidirectional(Bidirectional.Mode.CONCAT,
            new LSTM.Builder().nOut(UNITS).activation(Activation.TANH).build()));
    MultiLayerNetwork net = network(DataType.FLOAT, fused(UNITS, true));
    copyDl4jLstmWeights(reference, net, true);
    INDArray x = input(DataType.FLOAT);
    INDArray expected = reference.feedForward(x, false).get(1);
    INDArray actual = net.feedForward(x, false).get(1);
    assertArrayEquals(expected.shape(), actual.shape());
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
    assertTrue(expected.amaxNumber().doubleValue() > 0.05, "outputs too small to compare");
  }

  @Test
  void unidirectionalForwardEqualsDl4jLstm() {
    MultiLayerNetwork reference = network(DataType.FLOAT,
        new LSTM.Builder().nOut(UNITS).activation(Activation.TANH).build());
    MultiLayerNetwork net = network(DataType.FLOAT, fused(UNITS, false));
    copyDl4jLstmWeights(reference, net, false);
    INDArray x = input(DataType.FLOAT);
    INDArray expected = reference.feedForward(x, false).get(1);
    INDArray actual = net.feedForward(x, false).get(1);
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
  }

  @Test
  void trainingStepMatchesDl4jBidirectionalLstm() {
    // Same weights, one training step: the parameter gradients (mapped back to DL4J's layout)
    // and the score agree, so an epoch with the fused layer trains what DL4J's would.
    MultiLayerNetwork reference = network(DataType.DOUBLE,
        new Bidirectional(Bidirectional.Mode.CONCAT,
            new LSTM.Builder().nOut(UNITS).activation(Activation.TANH).build()));
    MultiLayerNetwork net = network(DataType.DOUBLE, fused(UNITS, true));
    copyDl4jLstmWeights(reference, net, true);
    INDArray x = input(DataType.DOUBLE);
    INDArray y = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
    for (MultiLayerNetwork n : new MultiLayerNetwork[] {reference, net}) {
      n.setInput(x);
      n.setLabels(y);
      n.computeGradientAndScore();
    }
    assertEquals(reference.score(), net.score(), 1e-10);
    for (int d = 0; d < 2; d++) {
      String p = d == 0 ? "f" : "b";
      assertGatesEqual(reference.gradient().getGradientFor("0_" + p + "W"),
          net.gradient().getGradientFor("0_W"), d, N_IN);
      assertGatesEqual(reference.gradient().getGradientFor("0_" + p + "RW"),
          net.gradient().getGradientFor("0_RW"), d, UNITS);
      assertGatesEqual(reference.gradient().getGradientFor("0_" + p + "b").reshape(1, 4 * UNITS),
          net.gradient().getGradientFor("0_b"), d, 1);
    }
  }

  @Test
  void floatPathGivesTheGradientsOfTheGradientCheckedDoublePath() {
    // Float networks run the cell maths in FloatCellSteps (heap copies, FloatActivations'
    // rational sigmoid and tanh), double networks in LstmCells on native activations, the path the gradient check above verifies: same
    // weights and data, one training step of a stack of both directions and one.
    MultiLayerNetwork exact = network(DataType.DOUBLE, fused(UNITS, true), fused(3, false));
    MultiLayerNetwork fast = network(DataType.FLOAT, fused(UNITS, true), fused(3, false));
    fast.setParams(exact.params().castTo(DataType.FLOAT));
    INDArray x = input(DataType.DOUBLE);
    INDArray y = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
    exact.setInput(x);
    exact.setLabels(y);
    fast.setInput(x.castTo(DataType.FLOAT));
    fast.setLabels(y.castTo(DataType.FLOAT));
    exact.computeGradientAndScore();
    fast.computeGradientAndScore();
    assertEquals(exact.score(), fast.score(), 1e-6);
    INDArray g = exact.gradient().gradient();
    double diff = g.sub(fast.gradient().gradient().castTo(DataType.DOUBLE)).amaxNumber()
        .doubleValue();
    assertTrue(g.amaxNumber().doubleValue() > 1e-3, "gradients large enough to compare");
    assertEquals(0, diff, 1e-6, "largest gradient difference");
    assertEquals(0, exact.output(x).sub(fast.output(x.castTo(DataType.FLOAT))
        .castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-6);
  }

  @Test
  void skippingTheInputEpsilonChangesOnlyTheEpsilon() {
    // A first layer that skips its input epsilon: same score and parameter gradients (float and
    // double), and zeros where the input epsilon would be.
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      MultiLayerNetwork full = network(type, fused(UNITS, true, RNNFormat.NCW, RNNFormat.NWC),
          fused(3, true, RNNFormat.NWC, RNNFormat.NCW));
      FusedLstm first = fused(UNITS, true, RNNFormat.NCW, RNNFormat.NWC);
      first.setInputEpsilon(false);
      MultiLayerNetwork skipping = network(type, first,
          fused(3, true, RNNFormat.NWC, RNNFormat.NCW));
      skipping.setParams(full.params());
      INDArray x = input(type);
      Nd4j.getRandom().setSeed(15);
      INDArray y = Nd4j.rand(type, BATCH, 2);
      for (MultiLayerNetwork n : List.of(full, skipping)) {
        n.setInput(x);
        n.setLabels(y);
        n.computeGradientAndScore();
      }
      assertEquals(full.score(), skipping.score(), 0.0, type + " score");
      assertEquals(full.gradient().gradient(), skipping.gradient().gradient(),
          type + " gradients");
      LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
      Nd4j.getRandom().setSeed(16);
      INDArray eps = Nd4j.rand(type, BATCH, STEPS, 2 * UNITS);
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
    // Backprop normally reuses the training forward's buffers; after an inference forward (which
    // keeps none) it must recompute them and produce the same gradients and epsilon.
    MultiLayerNetwork net = network(DataType.DOUBLE, fused(UNITS, true));
    net.initGradientsView();
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = input(DataType.DOUBLE);
    Nd4j.getRandom().setSeed(13);
    INDArray eps = Nd4j.rand(DataType.DOUBLE, BATCH, 2 * UNITS, STEPS);
    layer.setInput(x, mgr);
    layer.activate(true, mgr);
    Pair<Gradient, INDArray> stored = layer.backpropGradient(eps, mgr);
    INDArray storedGrad = stored.getFirst().gradient().dup();
    INDArray storedEps = stored.getSecond().dup();
    layer.setInput(x, mgr);
    layer.activate(false, mgr);
    Pair<Gradient, INDArray> recomputed = layer.backpropGradient(eps, mgr);
    assertEquals(storedGrad, recomputed.getFirst().gradient());
    assertEquals(storedEps, recomputed.getSecond());
    assertTrue(storedGrad.amaxNumber().doubleValue() > 0);
  }

  @Test
  void survivesModelSerializerAndJsonWithIdenticalOutput(@TempDir Path dir) throws Exception {
    FusedLstm skipping = fused(UNITS, true, RNNFormat.NCW, RNNFormat.NWC);
    skipping.setInputEpsilon(false);
    MultiLayerNetwork net = network(DataType.FLOAT, skipping,
        fused(3, false, RNNFormat.NWC, RNNFormat.NCW));
    assertEquals(net.getLayerWiseConfigurations(),
        MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
    INDArray x = input(DataType.FLOAT);
    assertEquals(net.output(x), restored.output(x));
    FusedLstm first = (FusedLstm) restored.getLayer(0).conf().getLayer();
    assertEquals(false, first.isInputEpsilon());
    assertEquals(true, first.isBidirectional());
    assertEquals(RNNFormat.NWC, first.outputFormat());
    assertEquals(RNNFormat.NWC, ((FusedLstm) restored.getLayer(1).conf().getLayer())
        .getRnnDataFormat());
    // A configuration saved before outputFormat and inputEpsilon existed reads as "the input's
    // format" and "computes its input epsilon".
    String json = network(DataType.FLOAT, fused(UNITS, true)).getLayerWiseConfigurations()
        .toJson();
    String before = json.replaceAll("\\s*\"outputFormat\"\\s*:\\s*(\"[A-Z]+\"|null)\\s*,?", "")
        .replaceAll("\\s*\"inputEpsilon\"\\s*:\\s*(true|false)\\s*,?", "");
    assertTrue(json.contains("outputFormat") && json.contains("inputEpsilon")
        && !before.contains("outputFormat") && !before.contains("inputEpsilon"), json);
    FusedLstm legacy = (FusedLstm) MultiLayerConfiguration.fromJson(before).getConf(0).getLayer();
    assertEquals(RNNFormat.NCW, legacy.outputFormat());
    assertEquals(true, legacy.isInputEpsilon());
  }

  @Test
  void parametersAreViewsOfTheNetworkParameters() {
    MultiLayerNetwork net = network(DataType.FLOAT, fused(UNITS, true));
    net.getLayer(0).getParam("b").putScalar(1, 0, 42f);
    assertEquals(42f, net.getLayer(0).params().getFloat(
        2L * N_IN * 4 * UNITS + 2L * UNITS * 4 * UNITS + 4 * UNITS), 0f);
    // DL4J's forget-gate bias convention: 1.0 on the forget block of each direction, 0 elsewhere.
    INDArray bias = net.getLayer(0).getParam("b");
    assertEquals(1.0, bias.get(NDArrayIndex.point(0), NDArrayIndex.interval(UNITS, 2 * UNITS))
        .minNumber().doubleValue(), 0);
    assertEquals(0.0, bias.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, UNITS))
        .maxNumber().doubleValue(), 0);
  }

  /** DL4J's LSTM gate blocks are (candidate, forget, output, input); ours (input, forget, output, candidate). */
  private static final int[] DL4J_BLOCK_OF = {3, 1, 2, 0};

  private static void copyDl4jLstmWeights(MultiLayerNetwork from, MultiLayerNetwork to,
      boolean bidirectional) {
    String[] prefixes = bidirectional ? new String[] {"f", "b"} : new String[] {""};
    for (int d = 0; d < prefixes.length; d++) {
      copyGates(from.getParam("0_" + prefixes[d] + "W"), to.getParam("0_W"), d, N_IN);
      copyGates(from.getParam("0_" + prefixes[d] + "RW"), to.getParam("0_RW"), d, UNITS);
      copyGates(from.getParam("0_" + prefixes[d] + "b").reshape(1, 4 * UNITS),
          to.getParam("0_b"), d, 1);
    }
    // The layers after the LSTM must match too.
    for (int layer = 1; layer < from.getnLayers(); layer++) {
      if (from.getLayer(layer).numParams() > 0) {
        to.getLayer(layer).setParams(from.getLayer(layer).params().dup());
      }
    }
  }

  private static void copyGates(INDArray dl4j, INDArray fused, int d, long rows) {
    for (int k = 0; k < 4; k++) {
      block(fused, d, rows, k).assign(block(dl4j, 0, rows, DL4J_BLOCK_OF[k]));
    }
    // Round trip through the network's own view, so the copy really landed in its parameters.
  }

  private static void assertGatesEqual(INDArray dl4j, INDArray fused, int d, long rows) {
    for (int k = 0; k < 4; k++) {
      INDArray e = block(dl4j, 0, rows, DL4J_BLOCK_OF[k]);
      INDArray a = block(fused, d, rows, k);
      assertEquals(0, e.sub(a).amaxNumber().doubleValue(), 1e-9, "direction " + d + " gate " + k);
    }
  }

  private static INDArray block(INDArray a, int d, long rows, int gate) {
    INDArray dir = FusedLstmParams.direction(a, (int) (a.size(0) / rows), d);
    return dir.get(NDArrayIndex.all(), NDArrayIndex.interval(gate * UNITS, (gate + 1) * UNITS));
  }
}
