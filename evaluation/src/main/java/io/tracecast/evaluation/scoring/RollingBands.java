package io.tracecast.evaluation.scoring;

import io.tracecast.evaluation.interval.RollingResiduals;
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
 * ConformalBands#calibrate}), or none where the key has none. Residuals are pooled over the job's
 * series (the split band's pooling) and ordered by target time, then series id, so that "the
 * most recent" is the same set on every run.
 *
 * <p>In Spark: the forecasts are grouped by key and each group swept once in time order with a
 * {@link RollingResiduals} (one sorted insert per residual, one rank look-up per forecast); only
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
   * @param stepSeconds the dataset's step: a forecast's origin is its target time less step x
   *     this
   */
  public static Dataset<ForecastRow> attach(Dataset<ForecastRow> forecasts, ConformalBands split,
      int window, long stepSeconds) {
    double[] levels = split.levels();
    long stepMillis = stepSeconds * 1000L;
    FlatMapGroupsFunction<String, ForecastRow, ForecastRow> sweep = (key, it) -> {
      List<ForecastRow> rows = sorted(it);
      List<ForecastRow> out = new ArrayList<>(rows.size());
      if (levels.length == 0 || ScoreBook.POLICY.equals(rows.get(0).getFamily())) {
        rows.forEach(r -> out.add(r.withIntervals(null)));
        return out.iterator();
      }
      double[] fallback = split.offsets(key);
      RollingResiduals recent = new RollingResiduals(window);
      double[] band = null;
      int observed = 0;
      // one key is one step, so origin order is target-time order: one pass serves both
      for (ForecastRow r : rows) {
        long origin = r.getTargetTime().getTime() - r.getStep() * stepMillis;
        boolean added = false;
        while (observed < rows.size()
            && rows.get(observed).getTargetTime().getTime() <= origin) {
          ForecastRow seen = rows.get(observed++);
          recent.add(seen.getActual() - seen.getPoint());
          added = true;
        }
        if (added || band == null) {
          band = recent.full() ? ConformalBands.perLevel(levels, recent::offsets) : null;
        }
        double[] o = band != null ? band : fallback;
        out.add(r.withIntervals(o == null ? null : split.around(r, o)));
      }
      return out.iterator();
    };
    return forecasts
        .groupByKey((MapFunction<ForecastRow, String>) ConformalBands::key, Encoders.STRING())
        .flatMapGroups(sweep, ForecastTable.ENCODER);
  }

  /**
   * The bands a deployed forecaster serves the future with: per key, the offsets of its last
   * {@code window} residuals over all of {@code forecasts} (validation and test: every target
   * is observed at the end of the data), or its split band with fewer. Levels and clipping as
   * {@code split}'s.
   */
  public static ConformalBands served(Dataset<ForecastRow> forecasts, ConformalBands split,
      int window) {
    double[] levels = split.levels();
    if (levels.length == 0) {
      return split;
    }
    MapGroupsFunction<String, ForecastRow, ConformalBands.Band> last = (key, it) -> {
      List<ForecastRow> rows = sorted(it);
      RollingResiduals recent = new RollingResiduals(window);
      rows.forEach(r -> recent.add(r.getActual() - r.getPoint()));
      return new ConformalBands.Band(key, recent.full()
          ? ConformalBands.perLevel(levels, recent::offsets) : split.offsets(key));
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

  private static List<ForecastRow> sorted(Iterator<ForecastRow> it) {
    List<ForecastRow> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    rows.sort(OBSERVED);
    return rows;
  }
}
