package io.tracecast.training.network.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.kernels.gru.FusedGru;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The SameDiff GRU the {@code gru} kind trained with until issue 24: the same forward pass as
 * libnd4j's fused gru op (so versions trained with it forecast as before) and gradients that
 * match finite differences (which the fused op's backward pass does not); and the kernels
 * module's fused GRU, which the kind trains with now, computes what it computes (forward,
 * parameter gradients and input epsilon) with the same parameters in the same layout.
 */
class GruLayerTest {
  private static final int N_IN = 3;
  private static final int UNITS = 4;
  private static final int STEPS = 5;
  private static final int BATCH = 2;

  private static Map<String, INDArray> params(GruLayer layer, DataType type) {
    SDLayerParams lp = new SDLayerParams();
    layer.defineParameters(lp);
    Map<String, INDArray> values = new LinkedHashMap<>();
    Nd4j.getRandom().setSeed(7);
    lp.getParamShapes().forEach((name, shape) ->
        values.put(name, Nd4j.rand(type, shape).subi(0.5)));
    return values;
  }

  private static GruLayer layer() {
    GruLayer layer = new GruLayer(UNITS);
    layer.setNIn(InputType.recurrent(N_IN, STEPS), true);
    return layer;
  }

  @Test
  void forecastsLikeTheFusedGruOp() {
    GruLayer layer = layer();
    Map<String, INDArray> p = params(layer, DataType.FLOAT);
    INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, N_IN, STEPS).subi(0.5).muli(2);
    SameDiff sd = SameDiff.create();
    Map<String, SDVariable> vars = new LinkedHashMap<>();
    p.forEach((k, v) -> vars.put(k, sd.constant(k, v)));
    INDArray ours = layer.defineLayer(sd, sd.constant("x", x), vars, null).eval();

    SameDiff fused = SameDiff.create();
    SDVariable timeMajor = fused.constant("x", x).permute(2, 0, 1);
    SDVariable h0 = fused.constant(Nd4j.zeros(DataType.FLOAT, BATCH, UNITS));
    INDArray states = fused.rnn().gru(timeMajor, h0, fused.constant(p.get("W")),
        fused.constant(p.get("U")), fused.constant(p.get("b").reshape(3L * UNITS))).eval();
    INDArray last = states.get(org.nd4j.linalg.indexing.NDArrayIndex.point(STEPS - 1));
    assertEquals(BATCH, ours.size(0));
    assertEquals(UNITS, ours.size(1));
    assertTrue(ours.equalsWithEps(last, 1e-5), () -> ours + " vs " + last);
  }

  /** A network of the fused GRU, its W, U and b set to {@link #params}'s. */
  private static org.deeplearning4j.nn.api.Layer fusedGru(Map<String, INDArray> p,
      DataType type) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .dataType(type).list()
        .layer(new FusedGru.Builder().units(UNITS).build())
        .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(1)
            .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
        .setInputType(InputType.recurrent(N_IN, STEPS, RNNFormat.NCW)).build());
    net.init();
    net.initGradientsView();
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
    p.forEach((k, v) -> layer.getParam(k).assign(v));
    return layer;
  }

  @Test
  void theFusedGruComputesWhatThisLayerComputes() {
    // Float, the networks' type: the fused GRU's rational activations against SameDiff's.
    GruLayer layer = layer();
    Map<String, INDArray> p = params(layer, DataType.FLOAT);
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, N_IN, STEPS).subi(0.5).muli(4);
    SameDiff sd = SameDiff.create();
    Map<String, SDVariable> vars = new LinkedHashMap<>();
    p.forEach((k, v) -> vars.put(k, sd.constant(k, v)));
    INDArray expected = layer.defineLayer(sd, sd.constant("x", x), vars, null).eval();
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    org.deeplearning4j.nn.api.Layer fused = fusedGru(p, DataType.FLOAT);
    fused.setInput(x, mgr);
    INDArray actual = fused.activate(false, mgr);
    assertArrayEquals(expected.shape(), actual.shape());
    assertTrue(expected.amaxNumber().doubleValue() > 0.1, "outputs large enough to compare");
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
  }

  @Test
  void theFusedGruHasThisLayersGradients() {
    // Loss = sum(out * c): SameDiff's own gradients of GruSteps (parameters and input) against
    // the fused GRU's backprop of epsilon c, in double (exact) and float (the networks' type).
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      GruLayer layer = layer();
      Map<String, INDArray> p = params(layer, type);
      Nd4j.getRandom().setSeed(10);
      INDArray x = Nd4j.rand(type, BATCH, N_IN, STEPS).subi(0.5).muli(4);
      INDArray c = Nd4j.rand(type, BATCH, UNITS).subi(0.5);
      SameDiff sd = SameDiff.create();
      Map<String, SDVariable> vars = new LinkedHashMap<>();
      p.forEach((k, v) -> vars.put(k, sd.var(k, v.dup())));
      SDVariable in = sd.var("x", x.dup());
      SDVariable out = layer.defineLayer(sd, in, vars, null);
      sd.setLossVariables(out.mul(sd.constant(c)).sum());
      Map<String, INDArray> expected = sd.calculateGradients(Map.of(), "W", "U", "b", "x");

      LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
      org.deeplearning4j.nn.api.Layer fused = fusedGru(p, type);
      fused.setInput(x, mgr);
      fused.activate(true, mgr);
      Pair<Gradient, INDArray> got = fused.backpropGradient(c, mgr);
      double tolerance = type == DataType.DOUBLE ? 1e-10 : 1e-5;
      for (String k : List.of("W", "U", "b")) {
        INDArray e = expected.get(k).reshape(got.getFirst().getGradientFor(k).shape());
        assertTrue(e.amaxNumber().doubleValue() > 1e-2, type + " " + k + " large enough");
        assertEquals(0, e.sub(got.getFirst().getGradientFor(k)).amaxNumber().doubleValue(),
            tolerance, type + " gradient of " + k);
      }
      assertEquals(0, expected.get("x").sub(got.getSecond()).amaxNumber().doubleValue(),
          tolerance, type + " input epsilon");
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      GruLayer layer = layer();
      SameDiff sd = SameDiff.create();
      Map<String, SDVariable> vars = new LinkedHashMap<>();
      params(layer, DataType.DOUBLE).forEach((k, v) -> vars.put(k, sd.var(k, v)));
      SDVariable x = sd.constant("x",
          Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS).subi(0.5).muli(2));
      SDVariable out = layer.defineLayer(sd, x, vars, null);
      SDVariable c = sd.constant(Nd4j.rand(DataType.DOUBLE, BATCH, UNITS).subi(0.5));
      sd.setLossVariables(out.mul(c).sum());
      assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-4, 1e-9, true, false),
          "gradient check");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void theFusedOpsGradientsAreWhatThisLayerAvoids() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Map<String, INDArray> p = params(layer(), DataType.DOUBLE);
      SameDiff sd = SameDiff.create();
      SDVariable x = sd.constant("x",
          Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS).subi(0.5).muli(2)).permute(2, 0, 1);
      SDVariable h0 = sd.constant(Nd4j.zeros(DataType.DOUBLE, BATCH, UNITS));
      SDVariable states = sd.rnn().gru(x, h0, sd.var("W", p.get("W")), sd.var("U", p.get("U")),
          sd.var("b", p.get("b").reshape(3L * UNITS)));
      SDVariable c = sd.constant(Nd4j.rand(DataType.DOUBLE, STEPS, BATCH, UNITS).subi(0.5));
      sd.setLossVariables(states.mul(c).sum());
      // if a later ND4J fixes gru_bp, this fails: the fused op could then come back
      assertFalse(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-4, 1e-9, false, false),
          "libnd4j's gru_bp now matches finite differences");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }
}
