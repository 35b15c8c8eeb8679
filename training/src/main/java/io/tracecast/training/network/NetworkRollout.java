package io.tracecast.training.network;

import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.registry.ModelOutput;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A network forecaster of H steps by the recursive strategy of the trees (training/README.md,
 * "Gradient-boosted trees"): a one-step <em>first-step</em> network on every input channel
 * forecasts step 1; a one-step <em>later-steps</em> network on the channels a rolled window
 * knows ({@link WindowRollout#knownChannels}) forecasts steps 2..H, each on the window that
 * {@link WindowRollout#step} moved ahead by the previous one-step forecast, and step h is the
 * accumulation of the h one-step forecasts ({@link WindowRollout#forecast}). With no
 * later-steps network the first-step network is rolled out on full windows (whose other
 * metrics the rollout can only hold). Measured against direct heads by {@code tracecast bench
 * horizon}; not (yet) a kind's strategy.
 *
 * @param spec the spec both networks were built from (quantiles: the point is the level nearest
 *     0.5)
 * @param first the first-step network, of shape {@link #oneStep}
 * @param later the later-steps network, of shape {@link #known}, or null
 * @param shape the dataset's shape (lookback, features, horizon H, targets)
 * @param rollout how the dataset's windows step ahead
 */
public record NetworkRollout(ModelSpec spec, ComputationGraph first, ComputationGraph later,
    NetworkShape shape, WindowRollout rollout) {

  /** Windows per forward pass: bounds the tensors of a large test split. */
  private static final int BATCH = 1024;

  public NetworkRollout {
    if (rollout.targets() != shape.targets() || rollout.channels().size() != shape.features()
        || rollout.lookback() != shape.lookback()) {
      throw new IllegalArgumentException("rollout of " + rollout.channels().size() + " channels, "
          + rollout.targets() + " targets, lookback " + rollout.lookback() + " does not fit "
          + shape);
    }
  }

  /** {@code shape} forecasting one step: the first-step network's. */
  public static NetworkShape oneStep(NetworkShape shape) {
    return new NetworkShape(shape.lookback(), shape.features(), 1, shape.targets(),
        shape.targetFeatures(), shape.squashInputs());
  }

  /**
   * The later-steps network's shape: one step, on the known channels only; a target's input
   * position (what the residual connection reads) becomes its position among them.
   */
  public static NetworkShape known(NetworkShape shape, WindowRollout rollout) {
    List<Integer> keep = rollout.knownChannels();
    List<Integer> targetFeatures = shape.targetFeatures().stream()
        .map(f -> f < 0 ? -1 : keep.indexOf(f)).toList();
    return new NetworkShape(shape.lookback(), keep.size(), 1, shape.targets(), targetFeatures,
        shape.squashInputs());
  }

  /** Each window's step-1 targets: a one-step network's labels. */
  public static List<float[]> firstStepTargets(List<float[]> targets, int targetCount) {
    return targets.stream().map(y -> java.util.Arrays.copyOf(y, targetCount)).toList();
  }

  /**
   * The point forecasts of {@code network} (built for {@code shape} from {@code spec}) on
   * {@code windows}: per window {@code shape.targetLength()} values, step-major as the dataset's
   * targets, in model space.
   */
  public static float[][] points(ComputationGraph network, ModelSpec spec, NetworkShape shape,
      List<float[]> windows) {
    int q = spec.outputsPerTarget();
    int point = ModelOutput.pointIndex(spec.quantiles());
    float[][] out = new float[windows.size()][];
    for (int from = 0; from < windows.size(); from += BATCH) {
      int to = Math.min(windows.size(), from + BATCH);
      float[][] rows = WindowTensors.rows(network.outputSingle(false,
          WindowTensors.features(windows.subList(from, to), shape)));
      for (int i = 0; i < rows.length; i++) {
        float[] p = new float[shape.targetLength()];
        for (int j = 0; j < p.length; j++) {
          p[j] = rows[i][ModelOutput.column(j, point, q)];
        }
        out[from + i] = p;
      }
    }
    return out;
  }

  /**
   * The H-step point forecasts of {@code windows} (flat time-major, every channel): per window
   * {@code H x targets} values, step-major, in model space.
   */
  public float[][] predict(List<float[]> windows) {
    NetworkShape one = oneStep(shape);
    WindowRollout.OneStep firstStep = w -> points(first, spec, one, w);
    WindowRollout.OneStep laterSteps = later == null ? firstStep
        : w -> points(later, spec, known(shape, rollout),
            w.stream().map(rollout::known).toList());
    return rollout.forecast(windows, shape.horizon(), firstStep, laterSteps);
  }
}
