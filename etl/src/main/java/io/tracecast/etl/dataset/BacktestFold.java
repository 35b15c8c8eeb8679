package io.tracecast.etl.dataset;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

/**
 * Backtest fold {@code fold} of {@code folds} with refitting (rolling-origin retraining): a
 * dataset holding only the fold's test window and what precedes it. A series of n points has
 * its normal boundaries trainEnd and validationEnd and a test split of {@code T = n -
 * validationEnd} points; fold k's test window is points {@code [validationEnd + start(T),
 * validationEnd + end(T))} and both boundaries roll forward by {@code start(T)}, so train
 * expands and validation keeps its length. The windows of the K folds tile the normal test split
 * exactly. They are the folds {@code evaluation/scoring/Folds} cuts by target time without
 * refitting to within a point: that cut divides the span from the job's first to its last test
 * target time ((T - 1) steps on a regular series) where this one divides T points, and a job's
 * series may start and end at different times.
 *
 * <p>Recorded in the manifest's settings under {@link #SETTING} as {@code "k/K"}: provenance,
 * and part of the fingerprint, so the K fold datasets of one input differ from each other and
 * from the normal dataset, whose fingerprint has no such entry.
 */
public record BacktestFold(int fold, int folds) implements Serializable {
  /** The manifest settings key. */
  public static final String SETTING = "backtestFold";

  public BacktestFold {
    if (folds < 1 || fold < 0 || fold >= folds) {
      throw new IllegalArgumentException("backtest fold k/K needs 0 <= k < K and K >= 1, got "
          + fold + "/" + folds);
    }
  }

  /** Parses {@code "k/K"}, e.g. {@code "0/5"}. */
  public static BacktestFold parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("backtest fold: expected k/K (e.g. 0/5), got '" + text
          + "'");
    }
    try {
      return new BacktestFold(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("backtest fold: expected k/K with whole numbers, got '"
          + text + "'", e);
    }
  }

  /** The fold a manifest's settings record, if the dataset is a backtest fold. */
  public static Optional<BacktestFold> of(Map<String, Object> manifestSettings) {
    Object v = manifestSettings == null ? null : manifestSettings.get(SETTING);
    return v == null ? Optional.empty() : Optional.of(parse(v.toString()));
  }

  /** {@code "k/K"}: how the option and the manifest write it. */
  public String label() {
    return fold + "/" + folds;
  }

  /**
   * Offset of the fold's test window in a test split of {@code testPoints} points:
   * {@code ceil(k T / K)}, the first point whose offset o has {@code floor(o K / T) = k}.
   */
  public int start(int testPoints) {
    return boundary(fold, testPoints);
  }

  /** End (exclusive) of the fold's test window in that split: the next fold's start. */
  public int end(int testPoints) {
    return boundary(fold + 1, testPoints);
  }

  private int boundary(int k, int testPoints) {
    if (testPoints < 0) {
      throw new IllegalArgumentException("test points must be >= 0, got " + testPoints);
    }
    return (int) (((long) k * testPoints + folds - 1) / folds);
  }
}
