package io.tracecast.training.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.etl.dataset.WindowRollout.Channel;
import io.tracecast.etl.dataset.WindowRollout.Role;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * The recursive network forecaster on hand-made window-normalised windows (an other metric
 * first, so that the known channels' positions differ from the full window's): step 1 is the
 * first-step network's median, step h the first-step output plus the later-steps network's
 * medians on the windows rolled by each previous one-step output, computed here one window and
 * one step at a time.
 */
class NetworkRolloutTest {
  private static final int LOOKBACK = 4;
  private static final int HORIZON = 3;
  // metric, target 0, its seasonal lag, a calendar sine/cosine pair
  private static final WindowRollout ROLLOUT = new WindowRollout(LOOKBACK, List.of(
      new Channel(Role.METRIC, -1, null), new Channel(Role.TARGET, 0, null),
      new Channel(Role.LAG, 0, null), new Channel(Role.CALENDAR, -1, new int[] {3, 4}),
      new Channel(Role.CALENDAR, -1, new int[] {3, 4})), 1, true);
  private static final NetworkShape SHAPE = new NetworkShape(LOOKBACK, 5, HORIZON, 1,
      List.of(1), true);
  // three quantile levels: the point is the middle column
  private static final ModelSpec SPEC = ModelKinds.MLP.defaults()
      .withQuantiles(List.of(0.1, 0.5, 0.9)).withResidual(true);

  @Test
  void knownShapeMapsTheTargetToItsPositionAmongTheKnownChannels() {
    NetworkShape known = NetworkRollout.known(SHAPE, ROLLOUT);
    assertEquals(4, known.features());
    assertEquals(List.of(0), known.targetFeatures());
    assertEquals(1, known.horizon());
    assertEquals(1, NetworkRollout.oneStep(SHAPE).horizon());
    assertEquals(5, NetworkRollout.oneStep(SHAPE).features());
  }

  @Test
  void laterStepsAreTheLaterNetworkOnRolledWindowsAddedUp() {
    NetworkShape oneStep = NetworkRollout.oneStep(SHAPE);
    NetworkShape known = NetworkRollout.known(SHAPE, ROLLOUT);
    ComputationGraph first = SPEC.kind().build(SPEC, oneStep, 1);
    ModelSpec laterSpec = SPEC.withTraining(SPEC.training().withSeed(7));
    ComputationGraph later = laterSpec.kind().build(laterSpec, known, 1);
    List<float[]> windows = windows(6);

    float[][] recursive = new NetworkRollout(SPEC, first, later, SHAPE, ROLLOUT)
        .predict(windows);
    float[][] allChannels = new NetworkRollout(SPEC, first, null, SHAPE, ROLLOUT)
        .predict(windows);
    for (int i = 0; i < windows.size(); i++) {
      float[] expected = new float[HORIZON];
      float[] expectedAll = new float[HORIZON];
      float[] w = windows.get(i);
      float[] wAll = windows.get(i);
      float sum = 0;
      float sumAll = 0;
      for (int h = 0; h < HORIZON; h++) {
        float d = h == 0 ? median(first, oneStep, w) : median(later, known, known(w));
        float dAll = median(first, oneStep, wAll);
        sum += d;
        sumAll += dAll;
        expected[h] = sum;
        expectedAll[h] = sumAll;
        w = ROLLOUT.step(w, new float[] {d});
        wAll = ROLLOUT.step(wAll, new float[] {dAll});
      }
      assertArrayEquals(expected, recursive[i], 1e-5f, "window " + i);
      assertArrayEquals(expectedAll, allChannels[i], 1e-5f, "window " + i);
      assertEquals(recursive[i][0], allChannels[i][0], 0f, "the same first step");
      assertNotEquals(recursive[i][2], allChannels[i][2], "later steps by another network");
    }
  }

  /** The 0.5 level's column of a one-step, one-target network's output on one window. */
  private static float median(ComputationGraph net, NetworkShape shape, float[] window) {
    return net.outputSingle(false, WindowTensors.features(List.of(window), shape))
        .getFloat(0, 1);
  }

  /** The known channels (1..4) of a window, by hand. */
  private static float[] known(float[] window) {
    float[] out = new float[LOOKBACK * 4];
    for (int t = 0; t < LOOKBACK; t++) {
      System.arraycopy(window, t * 5 + 1, out, t * 4, 4);
    }
    return out;
  }

  /** Window-normalised windows: the target's last value 0, a daily cycle at 5-minute steps. */
  private static List<float[]> windows(int n) {
    Random rnd = new Random(3);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] w = new float[LOOKBACK * 5];
      double phase = rnd.nextDouble() * 2 * Math.PI;
      for (int t = 0; t < LOOKBACK; t++) {
        w[t * 5] = (float) rnd.nextGaussian();
        w[t * 5 + 1] = t == LOOKBACK - 1 ? 0f : (float) rnd.nextGaussian();
        w[t * 5 + 2] = (float) rnd.nextGaussian();
        double angle = phase + t * 2 * Math.PI / 288;
        w[t * 5 + 3] = (float) Math.sin(angle);
        w[t * 5 + 4] = (float) Math.cos(angle);
      }
      out.add(w);
    }
    return out;
  }
}
