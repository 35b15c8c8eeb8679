package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.interval.IntervalCalibration;
import io.tracecast.evaluation.interval.OnlineConformal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;

/**
 * Rolling (sequential split) conformal bands: each forecast is widened by the offsets of the
 * {@code window} most recent residuals of its (job, model, version, step, target) whose
 * <em>target time is at or before the forecast's origin</em>, i.e. residuals an online
 * forecaster has already observed when it forecasts: validation residuals first, then test
 * residuals as their targets pass. Never a residual whose target lies after the origin, so the
 * band at step h lags the error by h steps, as it would in production. Recent residuals follow
 * the error's scale where the test period is calmer or more volatile than validation, which one
 * band fitted on validation cannot.
 *
 * <p>The rule before enough residuals exist: a forecast whose origin has seen fewer than {@code
 * window} residuals of its key gets the key's split band (all its validation residuals, {@link
 * ConformalBands#calibrate}), or none where the key has none. A key with fewer validation
 * residuals than {@code window} uses that many instead ({@link #window}), so its test forecasts
 * are all calibrated online. Residuals are pooled over the job's
 * series (the split band's pooling) and ordered by target time, then series id, so that "the
 * most recent" is the same set on every run.
 *
 * <p>With {@code gamma > 0} the levels adapt as Adaptive Conformal Inference's do ({@link
 * OnlineConformal}): each observed miss or hit of an issued band moves that key's running level.
 *
 * <p>In Spark: the forecasts are grouped by key and each group swept once in time order with an
 * {@link OnlineConformal} (one sorted insert per residual, one rank look-up per forecast); only
 * the small per-key served bands reach the driver.
 */
public final class RollingBands {
  private RollingBands() {}

  /** Ascending target time, then series id: the order residuals are observed in. */
  private static final Comparator<ForecastRow> OBSERVED = Comparator
      .comparing(ForecastRow::getTargetTime).thenComparing(ForecastRow::getSeriesId);

  /**
   * {@code forecasts} with each row's intervals set from its key's rolling band at its origin,
   * or {@code split}'s band before {@code window} residuals are known; policy rows unbanded.
   *
   * @param split the keys' split bands: the fallback, and the levels and clipping ranges
   * @param how the window and ACI step size
   * @param stepSeconds the dataset's step: a forecast's origin is its target time less step x
   *     this
   */
  public static Dataset<ForecastRow> attach(Dataset<ForecastRow> forecasts, ConformalBands split,
      IntervalCalibration how, long stepSeconds) {
    double[] levels = split.levels();
    FlatMapGroupsFunction<String, ForecastRow, ForecastRow> banded = (key, it) -> {
      List<ForecastRow> rows = sorted(it);
      List<ForecastRow> out = new ArrayList<>(rows.size());
      if (levels.length == 0 || ScoreBook.POLICY.equals(rows.get(0).getFamily())) {
        rows.forEach(r -> out.add(r.withIntervals(null)));
        return out.iterator();
      }
      double[][] issued = sweep(rows, levels, how, stepSeconds, split.offsets(key)).issued();
      for (int i = 0; i < rows.size(); i++) {
        ForecastRow r = rows.get(i);
        out.add(r.withIntervals(issued[i] == null ? null : split.around(r, issued[i])));
      }
      return out.iterator();
    };
    return forecasts
        .groupByKey((MapFunction<ForecastRow, String>) ConformalBands::key, Encoders.STRING())
        .flatMapGroups(banded, ForecastTable.ENCODER);
  }

  /**
   * The bands a deployed forecaster serves the future with: per key, the state after every
   * residual of {@code forecasts} has been observed (validation and test: every target is known
   * at the end of the data), i.e. the offsets of its last {@code window} residuals (at the
   * running ACI levels), or its split band with fewer. Levels and clipping as {@code split}'s.
   */
  public static ConformalBands served(Dataset<ForecastRow> forecasts, ConformalBands split,
      IntervalCalibration how, long stepSeconds) {
    double[] levels = split.levels();
    if (levels.length == 0) {
      return split;
    }
    MapGroupsFunction<String, ForecastRow, ConformalBands.Band> last = (key, it) -> {
      double[] fallback = split.offsets(key);
      double[] now = sweep(sorted(it), levels, how, stepSeconds, fallback).atEnd();
      return new ConformalBands.Band(key, now != null ? now : fallback);
    };
    Map<String, double[]> offsets = new HashMap<>();
    forecasts.filter((org.apache.spark.api.java.function.FilterFunction<ForecastRow>) r ->
            !ScoreBook.POLICY.equals(r.getFamily()))
        .groupByKey((MapFunction<ForecastRow, String>) ConformalBands::key, Encoders.STRING())
        .mapGroups(last, Encoders.javaSerialization(ConformalBands.Band.class))
        .collectAsList()
        .forEach(b -> {
          if (b.offsets() != null) {
            offsets.put(b.key(), b.offsets());
          }
        });
    return split.withOffsets(offsets);
  }

  /**
   * The window of one key: {@code how.window()}, capped at the key's validation residuals where
   * it has fewer (but never below the fewest that give every level a band). The cap keeps a key
   * with a short validation split online from its first test forecast on, where a longer window
   * would fall back to the split band until enough test targets had passed.
   */
  static int window(List<ForecastRow> rows, double[] levels, IntervalCalibration how) {
    String validation = Split.VALIDATION.label();
    int known = (int) rows.stream().filter(r -> validation.equals(r.getSplit())
        && Double.isFinite(r.getActual() - r.getPoint())).count();
    return Math.max(IntervalCalibration.minWindow(levels), Math.min(how.window(), known));
  }

  /** Per row, the offsets it was issued with (null: none); and the state's after the last row. */
  record Sweep(double[][] issued, double[] atEnd) {}

  /**
   * One key's forecasts in {@link #OBSERVED} order, each issued the online band at its origin
   * (after observing every residual whose target is at or before it) or {@code fallback} while
   * the window is not full. One key is one step, so origin order is target-time order, and a
   * row's residual is observed only after the row itself was issued.
   */
  static Sweep sweep(List<ForecastRow> rows, double[] levels, IntervalCalibration how,
      long stepSeconds, double[] fallback) {
    long stepMillis = stepSeconds * 1000L;
    OnlineConformal state = new OnlineConformal(levels, window(rows, levels, how), how.gamma());
    double[][] issued = new double[rows.size()][];
    int observed = 0;
    for (int i = 0; i < rows.size(); i++) {
      ForecastRow r = rows.get(i);
      long origin = r.getTargetTime().getTime() - r.getStep() * stepMillis;
      while (observed < i && rows.get(observed).getTargetTime().getTime() <= origin) {
        ForecastRow seen = rows.get(observed);
        state.observe(seen.getActual() - seen.getPoint(), issued[observed]);
        observed++;
      }
      double[] now = state.offsets();
      issued[i] = now != null ? now : fallback;
    }
    for (; observed < rows.size(); observed++) {
      ForecastRow seen = rows.get(observed);
      state.observe(seen.getActual() - seen.getPoint(), issued[observed]);
    }
    return new Sweep(issued, state.offsets());
  }

  private static List<ForecastRow> sorted(Iterator<ForecastRow> it) {
    List<ForecastRow> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    rows.sort(OBSERVED);
    return rows;
  }
}
