package io.tracecast.evaluation.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.tracecast.etl.dataset.Split;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The backtest's rolling origins: each job's test split cut by target time into K contiguous
 * folds of equal span, oldest first (Nixtla's {@code cross_validation} with {@code n_windows = K}
 * and {@code refit = False}). Every model was trained on the train split and picked on the
 * validation split, both before the first fold, so no fold's test window is trained on or
 * picked by; scoring each fold on its own gives the spread of a metric over where the test
 * window falls, which one split cannot. A validation row has fold 0.
 */
public final class Folds implements Serializable {
  private final int k;
  /** Per job: first test target time and the span of the test split, in ms. */
  private final Map<String, long[]> spans;

  private Folds(int k, Map<String, long[]> spans) {
    this.k = k;
    this.spans = Map.copyOf(spans);
  }

  /** One fold: the whole test split. */
  public static Folds none() {
    return new Folds(1, Map.of());
  }

  /** K folds over each job's test target times in {@code forecasts}. */
  public static Folds of(Dataset<ForecastRow> forecasts, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("folds must be >= 1, got " + k);
    }
    if (k == 1) {
      return none();
    }
    Map<String, long[]> spans = new HashMap<>();
    for (Row r : forecasts.toDF().where(col("split").equalTo(Split.TEST.label()))
        .groupBy("jobId").agg(min("targetTime"), max("targetTime")).collectAsList()) {
      long lo = r.getTimestamp(1).getTime();
      long hi = r.getTimestamp(2).getTime();
      spans.put(r.getString(0), new long[] {lo, hi - lo + 1});
    }
    return new Folds(k, spans);
  }

  public int count() {
    return k;
  }

  /** The fold of a row: 0..K-1 for a test row by its target time, 0 otherwise. */
  public int of(ForecastRow r) {
    long[] span = spans.get(r.getJobId());
    if (k == 1 || span == null || !Split.TEST.label().equals(r.getSplit())) {
      return 0;
    }
    long offset = r.getTargetTime().getTime() - span[0];
    return (int) Math.min(k - 1, Math.max(0, offset * k / span[1]));
  }
}
