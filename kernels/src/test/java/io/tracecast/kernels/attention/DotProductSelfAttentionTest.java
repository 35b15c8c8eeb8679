package io.tracecast.kernels.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.kernels.lstm.FusedLstm;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The fused attention computes what DL4J's SelfAttentionLayer (one head, no projection) computes,
 * forward and backward, and survives DL4J's serialisation.
 */
class DotProductSelfAttentionTest {
  private static final int N_IN = 3;
  private static final int UNITS = 4;
  private static final int STEPS = 5;
  private static final int BATCH = 6;

  /** FusedLstm (both directions, 8 outputs), the attention under test, pooling, output. */
  private static MultiLayerNetwork network(DataType type, Layer attention) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
        .layer(new FusedLstm.Builder().units(UNITS).bidirectional(true).build())
        .layer(attention)
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
            .build())
        .setInputType(InputType.recurrent(N_IN, STEPS, RNNFormat.NCW)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static Layer dl4j() {
    return new SelfAttentionLayer.Builder().nIn(2 * UNITS).nOut(2 * UNITS).nHeads(1)
        .projectInput(false).build();
  }

  private static Layer fused() {
    return new DotProductSelfAttention.Builder().build();
  }

  private static INDArray input(DataType type) {
    Nd4j.getRandom().setSeed(11);
    // Large enough that the softmax is far from uniform.
    return Nd4j.rand(type, BATCH, N_IN, STEPS).subi(0.5).muli(6);
  }

  private static MultiLayerNetwork sameWeights(MultiLayerNetwork reference, DataType type) {
    MultiLayerNetwork net = network(type, fused());
    net.setParams(reference.params().dup());
    return net;
  }

  @Test
  void forwardEqualsDl4jSelfAttentionGivenTheSameWeights() {
    MultiLayerNetwork reference = network(DataType.FLOAT, dl4j());
    MultiLayerNetwork net = sameWeights(reference, DataType.FLOAT);
    INDArray x = input(DataType.FLOAT);
    INDArray expected = reference.feedForwardToLayer(1, x).get(2);
    INDArray actual = net.feedForwardToLayer(1, x).get(2);
    assertTrue(expected.amaxNumber().doubleValue() > 0.1, "non-trivial outputs");
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
    assertEquals(0, reference.output(x).sub(net.output(x)).amaxNumber().doubleValue(), 1e-5);
  }

  @Test
  void trainingStepScoresAndOutputGradientsEqualDl4jSelfAttention() {
    // Same weights, one training step in double precision: same score, same output-layer
    // gradients. The gradients below the attention differ, because DL4J's are wrong (next test).
    MultiLayerNetwork reference = network(DataType.DOUBLE, dl4j());
    MultiLayerNetwork net = sameWeights(reference, DataType.DOUBLE);
    INDArray x = input(DataType.DOUBLE);
    INDArray y = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
    for (MultiLayerNetwork n : new MultiLayerNetwork[] {reference, net}) {
      n.setInput(x);
      n.setLabels(y);
      n.computeGradientAndScore();
    }
    assertEquals(reference.score(), net.score(), 1e-10);
    for (String p : new String[] {"3_W", "3_b"}) {
      INDArray expected = reference.gradient().getGradientFor(p);
      assertTrue(expected.amaxNumber().doubleValue() > 1e-3);
      assertEquals(0, expected.sub(net.gradient().getGradientFor(p)).amaxNumber().doubleValue(),
          1e-9, p);
    }
  }

  @Test
  void floatGradientsEqualTheGradientCheckedDoublePath() {
    // Float arrays take Gemm.batched's per-example cblas path, double ones ND4J's batched matmul
    // (the path the gradient check below covers): same weights, same input, same gradients of
    // every parameter to float precision, the LSTM's below the attention included.
    MultiLayerNetwork dbl = network(DataType.DOUBLE, fused());
    MultiLayerNetwork flt = network(DataType.FLOAT, fused());
    flt.setParams(dbl.params().castTo(DataType.FLOAT));
    INDArray x = input(DataType.DOUBLE);
    INDArray y = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
    dbl.setInput(x);
    dbl.setLabels(y);
    dbl.computeGradientAndScore();
    flt.setInput(x.castTo(DataType.FLOAT));
    flt.setLabels(y.castTo(DataType.FLOAT));
    flt.computeGradientAndScore();
    assertEquals(dbl.score(), flt.score(), 1e-5 * Math.abs(dbl.score()));
    INDArray expected = dbl.gradient().gradient();
    INDArray actual = flt.gradient().gradient().castTo(DataType.DOUBLE);
    double scale = expected.amaxNumber().doubleValue();
    assertTrue(scale > 1e-3, "non-trivial gradients");
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-4 * scale);
  }

  /**
   * DL4J 1.0.0-M2.1's SelfAttentionLayer (one head, no projection) fails the numeric gradient
   * check that this layer passes (next test) on the same network: its backward pass is not the
   * derivative of its forward pass, so bilstm_attention models built with it trained on wrong
   * gradients below the attention. If this starts failing after a DL4J upgrade, DL4J fixed it.
   */
  @Test
  void dl4jSelfAttentionFailsTheGradientCheck() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = network(DataType.DOUBLE, dl4j());
      Nd4j.getRandom().setSeed(12);
      INDArray labels = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
          .input(input(DataType.DOUBLE)).labels(labels).epsilon(1e-6).maxRelError(1e-5)
          .minAbsoluteError(1e-9));
      assertFalse(ok, "DL4J's SelfAttentionLayer now passes the gradient check");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void gradientsMatchNumericGradients() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = network(DataType.DOUBLE, fused());
      Nd4j.getRandom().setSeed(12);
      INDArray labels = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
          .input(input(DataType.DOUBLE)).labels(labels).epsilon(1e-6).maxRelError(1e-5)
          .minAbsoluteError(1e-9));
      assertTrue(ok, "gradient check failed, see the log for the parameters");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void survivesModelSerializerAndJsonWithIdenticalOutput(@TempDir Path dir) throws Exception {
    MultiLayerNetwork net = network(DataType.FLOAT, fused());
    assertEquals(net.getLayerWiseConfigurations(),
        MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
    INDArray x = input(DataType.FLOAT);
    assertEquals(net.output(x), restored.output(x));
    assertTrue(restored.getLayer(1).conf().getLayer() instanceof DotProductSelfAttention);
  }
}
