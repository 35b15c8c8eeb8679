package io.tracecast.training.tune;

import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cheap objective with a known minimum of 0 over a space of every dimension type, and a
 * simulated training curve for it: the validation MAE of epoch e is {@code value * (1 + 2 / e)},
 * so a trial's ranking shows early, as on real curves.
 */
final class SyntheticObjective {
  static final SearchSpace SPACE = new SearchSpace(ModelKinds.MLP, List.of(
      Dimension.numeric("x", Dimension.Type.FLOAT, -5, 5),
      Dimension.numeric("y", Dimension.Type.FLOAT, -5, 5),
      Dimension.numeric("lr", Dimension.Type.LOG_FLOAT, 1e-5, 1e-1),
      Dimension.numeric("n", Dimension.Type.LOG_INT, 1, 1000),
      Dimension.categorical("c", List.of("a", "b", "c", "d"))));

  private SyntheticObjective() {}

  /** 0 at x = 1.5, y = -2, lr = 1e-3, n = 100, c = "c". */
  static double value(Map<String, Object> p) {
    double x = ((Number) p.get("x")).doubleValue() - 1.5;
    double y = ((Number) p.get("y")).doubleValue() + 2;
    double lr = Math.log10(((Number) p.get("lr")).doubleValue()) + 3;
    double n = Math.log10(((Number) p.get("n")).doubleValue()) - 2;
    double c = "c".equals(p.get("c")) ? 0 : 1;
    return x * x + y * y + lr * lr + n * n + c;
  }

  /** A trial of {@code maxEpochs} simulated epochs, stopped by {@code pruner} when it says so. */
  static Trial train(int number, Map<String, Object> p, List<double[]> references,
      MedianStopping pruner, int maxEpochs) {
    double v = value(p);
    List<Epoch> epochs = new ArrayList<>();
    for (int e = 1; e <= maxEpochs; e++) {
      epochs.add(new Epoch(e, v, v, v * (1 + 2.0 / e)));
      double[] curve = epochs.stream().mapToDouble(Epoch::validationMae).toArray();
      if (e < maxEpochs && pruner != null && pruner.shouldStop(curve, references)) {
        return new Trial(number, p, Trial.Status.PRUNED, v * (1 + 2.0 / e), epochs, e, 0, null);
      }
    }
    return new Trial(number, p, Trial.Status.COMPLETE, v * (1 + 2.0 / maxEpochs), epochs,
        maxEpochs, 0, null);
  }
}
