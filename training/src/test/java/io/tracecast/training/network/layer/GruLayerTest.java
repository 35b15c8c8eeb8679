package io.tracecast.training.network.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code gru} kind's layer: the same forward pass as libnd4j's fused gru op (so versions
 * trained with it forecast as before) and gradients that match finite differences (which the
 * fused op's backward pass does not).
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
