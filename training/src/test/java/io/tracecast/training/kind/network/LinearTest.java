package io.tracecast.training.kind.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tracecast.training.config.TrainSettingsParser;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@code linear}: one affine map of the window, learnt, configured by its own block. */
class LinearTest {
  /** 4 steps of 3 channels, cpu (channel 0) the target, two steps ahead; inputs as they are. */
  private static final NetworkShape SHAPE = new NetworkShape(4, 3, 2, 1, List.of(0), false);

  private static List<float[]> windows(int n, long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] w = new float[SHAPE.inputLength()];
      for (int j = 0; j < w.length; j++) {
        w[j] = (float) r.nextGaussian();
      }
      out.add(w);
    }
    return out;
  }

  private static ModelSpec spec(Linear.Channels channels) {
    return ModelKinds.LINEAR.defaults().withParams(new Linear.Inputs(channels));
  }

  @Test
  void theForecastIsOneAffineMapOfTheWindowsValues() {
    ModelSpec spec = spec(Linear.Channels.ALL);
    ComputationGraph net = ModelKinds.LINEAR.build(spec, SHAPE, 1);
    List<float[]> in = windows(5, 1);
    float[][] out = net.outputSingle(WindowTensors.features(in, SHAPE)).toFloatMatrix();
    // the head's weights read the window flattened channel by channel (NCW in c order):
    // element (f, t) of the map's input is inputs[t * F + f]
    INDArray w = net.getParam("forecast_W");
    INDArray b = net.getParam("forecast_b");
    assertEquals(SHAPE.inputLength(), w.rows());
    assertEquals(SHAPE.targetLength(), w.columns());
    assertEquals(SHAPE.inputLength() * SHAPE.targetLength() + SHAPE.targetLength(),
        net.numParams(), "no hidden layer");
    for (int i = 0; i < in.size(); i++) {
      for (int o = 0; o < SHAPE.targetLength(); o++) {
        double y = b.getDouble(o);
        for (int f = 0; f < SHAPE.features(); f++) {
          for (int t = 0; t < SHAPE.lookback(); t++) {
            y += in.get(i)[t * SHAPE.features() + f] * w.getDouble(f * SHAPE.lookback() + t, o);
          }
        }
        assertEquals(y, out[i][o], 1e-5, "window " + i + " output " + o);
      }
    }
  }

  @Test
  void trainsTheMedianByDefault() {
    assertEquals(List.of(0.5), ModelKinds.LINEAR.defaults().quantiles(), "the L1 loss");
  }

  @Test
  void learnsALinearRelationToItsCoefficients() {
    // y(h) = 0.7 cpu(last) - 0.2 cpu(last - 1) + 0.1 h * channel 1 (last), noise free; MSE
    // and full batches: a smooth convex fit that Adam solves in a few hundred steps (the L1
    // default's fit is NetworkTrainingTest's, against least absolute deviations)
    ModelSpec spec = ModelKinds.LINEAR.defaults().withQuantiles(List.of()).withTraining(
        TrainingConfig.adam(0.02, 512, 1, 1));
    List<float[]> in = windows(512, 2);
    List<float[]> y = new ArrayList<>();
    int last = SHAPE.lookback() - 1;
    for (float[] w : in) {
      float cpu = w[last * 3];
      float cpuBefore = w[(last - 1) * 3];
      float other = w[last * 3 + 1];
      y.add(new float[] {0.7f * cpu - 0.2f * cpuBefore + 0.1f * other,
          0.7f * cpu - 0.2f * cpuBefore + 0.2f * other});
    }
    ComputationGraph net = ModelKinds.LINEAR.build(spec, SHAPE, 1);
    DataSet data = WindowTensors.dataSet(in, y, SHAPE, spec);
    for (int step = 0; step < 600; step++) {
      net.fit(data);
    }
    assertTrue(net.score(data, false) < 1e-4, "MSE " + net.score(data, false));
    INDArray w = net.getParam("forecast_W");
    // row f * lookback + t: cpu is channel 0, the other channel 1
    assertEquals(0.7, w.getDouble(last, 0), 0.02);
    assertEquals(-0.2, w.getDouble(last - 1, 0), 0.02);
    assertEquals(0.1, w.getDouble(SHAPE.lookback() + last, 0), 0.02);
    assertEquals(0.2, w.getDouble(SHAPE.lookback() + last, 1), 0.02);
    assertEquals(0.0, w.getDouble(2 * SHAPE.lookback() + last, 0), 0.02, "channel 2 unused");
  }

  @Test
  void onTargetsItReadsOnlyTheTargetsHistory() {
    ModelSpec spec = spec(Linear.Channels.TARGETS);
    ComputationGraph net = ModelKinds.LINEAR.build(spec, SHAPE, 1);
    assertEquals(SHAPE.lookback() * SHAPE.targetLength() + SHAPE.targetLength(),
        net.numParams());
    float[] a = windows(1, 3).get(0);
    float[] otherChannels = a.clone();
    float[] target = a.clone();
    for (int t = 0; t < SHAPE.lookback(); t++) {
      otherChannels[t * 3 + 1] += 5;
      otherChannels[t * 3 + 2] -= 3;
      target[t * 3] += 1;
    }
    float[] out = forecast(net, a);
    assertEquals(out[0], forecast(net, otherChannels)[0], 1e-6);
    assertNotEquals(out[0], forecast(net, target)[0], 1e-3);
    // a target that is not an input cannot be read
    assertThrows(IllegalArgumentException.class, () -> ModelKinds.LINEAR.build(spec,
        new NetworkShape(4, 3, 1, 1, List.of(-1), false), 1));
  }

  private static float[] forecast(ComputationGraph net, float[] window) {
    return net.outputSingle(WindowTensors.features(List.of(window), SHAPE)).toFloatVector();
  }

  @Test
  void readsItsOwnBlockNamingTheKey() {
    com.typesafe.config.Config defaults = ConfigFactory.parseFile(Path.of(
        System.getProperty("tracecast.root", ".."), "conf", "application.conf").toFile());
    assertEquals(Linear.Inputs.DEFAULTS, TrainSettingsParser.parse(defaults.resolve())
        .spec(ModelKinds.LINEAR).params());
    assertEquals(new Linear.Inputs(Linear.Channels.TARGETS), TrainSettingsParser.parse(
        ConfigFactory.parseString("tracecast.train { models = [linear], linear.inputs = "
            + "targets }").withFallback(defaults).resolve()).spec(ModelKinds.LINEAR).params());
    ConfigException e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        ConfigFactory.parseString("tracecast.train.linear.inputs = lags")
            .withFallback(defaults).resolve()));
    assertTrue(e.getMessage().contains("tracecast.train.linear.inputs"), e.getMessage());
    // it has no hidden layer to size
    assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(ConfigFactory
        .parseString("tracecast.train.units.linear = [8]").withFallback(defaults).resolve()));
  }
}
