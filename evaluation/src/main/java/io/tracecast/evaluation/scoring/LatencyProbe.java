package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Panel;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.registry.PanelForecaster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Inference cost of a trained model on the driver, one ND4J thread: latency is the median time of
 * scoring a single window (what an online caller waits), throughput the windows per second of
 * batched scoring (what a batch job gets per task). Both after a warm-up, on real windows.
 */
public final class LatencyProbe {
  private static final int SINGLE_CALLS = 30;
  private static final int BATCH_CALLS = 5;

  private LatencyProbe() {}

  /** One call of a model on a batch of model-space input windows. */
  public interface Scorer {
    void score(List<float[]> inputs);
  }

  /**
   * A panel model's cost: latency of one panel (one call forecasts every node, what an online
   * caller waits for), throughput in node windows per second of batched panels.
   */
  public static ScoreBook.Cost graph(PanelForecaster model, List<Panel> panels) {
    if (panels.isEmpty()) {
      return ScoreBook.Cost.NONE;
    }
    List<Panel> one = panels.subList(0, 1);
    return time(() -> model.forecast(panels), () -> model.forecast(one),
        panels.stream().mapToLong(Panel::presentNodes).sum());
  }

  public static ScoreBook.Cost measure(Scorer model, List<Row> windows) {
    List<float[]> inputs = new ArrayList<>();
    for (Row r : windows) {
      inputs.add(WindowSchema.inputs(r));
    }
    if (inputs.isEmpty()) {
      return ScoreBook.Cost.NONE;
    }
    List<float[]> single = inputs.subList(0, 1);
    return time(() -> model.score(inputs), () -> model.score(single), inputs.size());
  }

  /**
   * Latency of {@code one} (median of {@value #SINGLE_CALLS} calls) and throughput of
   * {@code all} ({@code windows} per call, over {@value #BATCH_CALLS} calls), after a warm-up
   * call of each.
   */
  private static ScoreBook.Cost time(Runnable all, Runnable one, long windows) {
    all.run();
    one.run();
    long[] singleNanos = new long[SINGLE_CALLS];
    for (int i = 0; i < SINGLE_CALLS; i++) {
      long t0 = System.nanoTime();
      one.run();
      singleNanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(singleNanos);
    long t0 = System.nanoTime();
    for (int i = 0; i < BATCH_CALLS; i++) {
      all.run();
    }
    double batchSeconds = (System.nanoTime() - t0) / 1e9;
    return new ScoreBook.Cost(singleNanos[SINGLE_CALLS / 2] / 1e3,
        BATCH_CALLS * windows / batchSeconds);
  }
}
