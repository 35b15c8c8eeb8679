package io.tracecast.evaluation.scoring;

import io.tracecast.training.registry.ModelFamily;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.evaluation.baseline.Baseline;
import io.tracecast.evaluation.baseline.Persistence;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.provisioning.ReactiveAutoscaler;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs the classical baselines over one series of the dataset's series table (original units),
 * emitting a {@link ForecastRow} for every validation and test point, horizon step and target.
 * The evaluation keeps only the rows whose (series, time, step, target) has a dataset window, so
 * baselines and networks are scored on exactly the same points.
 *
 * <p>Baselines see one segment at a time (segments are cut at long gaps, as windows are), fitted
 * on the series' train points where they learn anything (ARIMA). Step h > 1 is forecast
 * recursively, feeding earlier forecasts back as history. Where a segment holds less history
 * than a baseline needs (e.g. the first day after a long gap for seasonal naive), the baseline
 * forecasts the last value instead; {@code fallbacks} counts those points.
 *
 * <p>Fitted baselines ({@link BaselineFactory#guarded()}, i.e. ARIMA) get a sanity band derived
 * from the series' train range, [min - range, max + range]: a forecast outside it (an ARIMA fit
 * that diverged, seen at 25x persistence's MAE on an Azure VM) is replaced by the last value and
 * counted in {@code guarded}. A level shift that takes the series itself outside the band costs
 * nothing: the last value is then the natural forecast anyway.
 */
public final class BaselineForecaster
    implements FlatMapGroupsFunction<String, Row, ForecastRow>, Serializable {
  /** Model name of the reactive autoscaler's rows. */
  public static final String REACTIVE = "reactive_autoscaler";

  private final List<BaselineFactory> baselines;
  private final List<String> targets;
  private final int horizon;
  private final ProvisioningSettings provisioning;
  private final LongAccumulator fallbacks;
  private final LongAccumulator guarded;
  /** Physical range per target (usage is never negative); empty: forecasts as they come. */
  private final java.util.Map<String, io.tracecast.etl.dataset.Manifest.Bounds> bounds;
  /**
   * 0: forecast the data's own validation and test points; else the grid step (ms) of the
   * {@code horizon} steps after each series' last point, forecast instead ({@link #beyondData}).
   */
  private final long futureStepMillis;

  public BaselineForecaster(List<BaselineFactory> baselines, List<String> targets, int horizon,
      ProvisioningSettings provisioning, LongAccumulator fallbacks, LongAccumulator guarded) {
    this(baselines, targets, horizon, provisioning, fallbacks, guarded, java.util.Map.of());
  }

  /** @param bounds each target's physical range: forecasts are clipped into it */
  public BaselineForecaster(List<BaselineFactory> baselines, List<String> targets, int horizon,
      ProvisioningSettings provisioning, LongAccumulator fallbacks, LongAccumulator guarded,
      java.util.Map<String, io.tracecast.etl.dataset.Manifest.Bounds> bounds) {
    this.baselines = List.copyOf(baselines);
    this.targets = List.copyOf(targets);
    this.horizon = horizon;
    this.provisioning = provisioning;
    this.fallbacks = fallbacks;
    this.guarded = guarded;
    this.bounds = java.util.Map.copyOf(bounds);
    this.futureStepMillis = 0;
  }

  private BaselineForecaster(BaselineForecaster o, long futureStepMillis) {
    this.baselines = o.baselines;
    this.targets = o.targets;
    this.horizon = o.horizon;
    this.provisioning = o.provisioning;
    this.fallbacks = o.fallbacks;
    this.guarded = o.guarded;
    this.bounds = o.bounds;
    this.futureStepMillis = futureStepMillis;
  }

  /**
   * The same baselines forecasting, per series, the {@code horizon} steps after its last point
   * (origin = the last point of its last segment; targets {@code stepMillis} apart beyond the
   * data, actual NaN), labelled {@link Split#BEYOND_THE_DATA} as the latest windows are; no
   * reactive policy rows.
   */
  public BaselineForecaster beyondData(long stepMillis) {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("step must be > 0 ms, got " + stepMillis);
    }
    return new BaselineForecaster(this, stepMillis);
  }

  /** Builds a baseline for one series from its train values (most ignore them). */
  public interface BaselineFactory extends Serializable {
    String name();

    Baseline create(double[] trainValues);

    /** Whether forecasts are checked against the series' train range (fitted models). */
    default boolean guarded() {
      return false;
    }
  }

  /**
   * The sanity band of a series: [min - range, max + range] of its finite train values (range at
   * least 1e-9, so a constant series still admits its own level); null without train values.
   */
  static double[] band(double[] train) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : train) {
      if (Double.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    if (lo > hi) {
      return null;
    }
    double range = Math.max(hi - lo, Math.max(1e-9, Math.abs(hi) * 1e-6));
    return new double[] {lo - range, hi + range};
  }

  /** Key of the series table's rows: job and series, which together identify a series. */
  public static String key(Row r) {
    return WindowSchema.jobId(r) + '\u0000' + WindowSchema.seriesId(r);
  }

  @Override
  public Iterator<ForecastRow> call(String key, Iterator<Row> rows) {
    List<Row> points = new ArrayList<>();
    rows.forEachRemaining(points::add);
    points.sort(Comparator.comparing(r -> r.getTimestamp(r.fieldIndex(WindowSchema.TS))));
    List<ForecastRow> out = new ArrayList<>();
    if (points.isEmpty()) {
      return out.iterator();
    }
    Row first = points.get(0);
    String job = WindowSchema.jobId(first);
    String series = WindowSchema.seriesId(first);
    for (String target : targets) {
      SeriesView view = SeriesView.of(points, target);
      double[] train = view.trainValues();
      if (futureStepMillis > 0) {
        SeriesView.Segment last = view.segments().get(view.segments().size() - 1);
        for (BaselineFactory f : baselines) {
          forecastBeyond(job, series, target, f.create(train),
              f.guarded() ? band(train) : null, last, out);
        }
        continue;
      }
      for (BaselineFactory f : baselines) {
        Baseline b = f.create(train);
        double[] band = f.guarded() ? band(train) : null;
        for (SeriesView.Segment seg : view.segments()) {
          forecastSegment(job, series, target, b, band, seg, out);
        }
      }
      for (SeriesView.Segment seg : view.segments()) {
        provisionReactively(job, series, target, seg, out);
      }
    }
    return out.iterator();
  }

  /**
   * The provisioning baseline: the reactive threshold autoscaler run over each validation and
   * test stretch of a segment, warm-started at the stretch's first value. Its rows carry the
   * capacity it held in both {@code point} and {@code provision}; they are scored for
   * provisioning only ({@link #REACTIVE}, family {@code POLICY}).
   */
  private void provisionReactively(String job, String series, String target,
      SeriesView.Segment seg, List<ForecastRow> out) {
    ReactiveAutoscaler autoscaler = new ReactiveAutoscaler(provisioning);
    double[] v = seg.values();
    int start = seg.firstScored();
    while (start >= 0 && start < v.length) {
      Split split = seg.split(start);
      int end = start;
      while (end < v.length && seg.split(end) == split && !Double.isNaN(v[end])) {
        end++;
      }
      if (end > start) {
        double[] capacity = autoscaler.provisioned(java.util.Arrays.copyOfRange(v, start, end));
        for (int t = start; t < end; t++) {
          double c = capacity[t - start];
          out.add(new ForecastRow(job, series, split.label(), target, 1, seg.timeMillis(t),
              REACTIVE, 0, "POLICY", v[t], c, null, c));
        }
      }
      start = end + (end < v.length && Double.isNaN(v[end]) ? 1 : 0);
      while (start < v.length && seg.split(start) == Split.TRAIN) {
        start++;
      }
    }
  }

  private void forecastSegment(String job, String series, String target, Baseline b,
      double[] band, SeriesView.Segment seg, List<ForecastRow> out) {
    double[] v = seg.values();
    int first = seg.firstScored();
    if (first < 0) {
      return;
    }
    Baseline last = new Persistence();
    for (int h = 1; h <= horizon; h++) {
      int from = Math.max(first, h);
      if (from >= v.length) {
        continue;
      }
      double[] forecast = h == 1 ? oneStep(b, v, from) : b.forecastsAhead(v, from, h);
      for (int t = from; t < v.length; t++) {
        Split split = seg.split(t);
        if (split == Split.TRAIN || Double.isNaN(v[t])) {
          continue;
        }
        double p = forecast[t - from];
        if (Double.isNaN(p)) {
          p = last.forecast(v, t - h + 1);
          fallbacks.add(1);
        } else if (band != null && (p < band[0] || p > band[1] || !Double.isFinite(p))) {
          p = last.forecast(v, t - h + 1);
          guarded.add(1);
        }
        if (Double.isNaN(p)) {
          continue;
        }
        if (bounds.containsKey(target)) {
          p = bounds.get(target).clip(p);
        }
        out.add(new ForecastRow(job, series, split.label(), target, h, seg.timeMillis(t),
            b.name(), 0, ModelFamily.BASELINE.name(), v[t], p, null, provisioning.withHeadroomApplied(p)));
      }
    }
  }

  /**
   * The {@code horizon} steps after the segment's last point, by the baseline's
   * {@link Baseline#forecastAfter} (earlier forecasts fed back as history), with the same
   * fallback to the last value, guard band and clipping as the data's own points.
   */
  private void forecastBeyond(String job, String series, String target, Baseline b,
      double[] band, SeriesView.Segment seg, List<ForecastRow> out) {
    double[] v = seg.values();
    int n = v.length;
    if (Double.isNaN(v[n - 1])) {
      return;
    }
    double[] ahead = new double[horizon];
    if (n < b.minHistory()) {
      // as forecastsAhead: an origin with too little history forecasts nothing at any step
      java.util.Arrays.fill(ahead, Double.NaN);
    } else {
      ahead = b.forecastAfter(v, horizon);
    }
    String split = Split.BEYOND_THE_DATA.label();
    for (int h = 1; h <= horizon; h++) {
      double p = ahead[h - 1];
      if (Double.isNaN(p)) {
        p = v[n - 1];
        fallbacks.add(1);
      } else if (band != null && (p < band[0] || p > band[1] || !Double.isFinite(p))) {
        p = v[n - 1];
        guarded.add(1);
      }
      if (bounds.containsKey(target)) {
        p = bounds.get(target).clip(p);
      }
      out.add(new ForecastRow(job, series, split, target, h,
          seg.timeMillis(n - 1) + h * futureStepMillis, b.name(), 0,
          ModelFamily.BASELINE.name(), Double.NaN, p, null,
          provisioning.withHeadroomApplied(p)));
    }
  }

  /** One-step forecasts of v[t] for t in [from, v.length); NaN before the baseline's history. */
  private static double[] oneStep(Baseline b, double[] v, int from) {
    double[] out = new double[v.length - from];
    int start = Math.max(from, b.minHistory());
    java.util.Arrays.fill(out, 0, Math.min(out.length, start - from), Double.NaN);
    if (start < v.length) {
      System.arraycopy(b.forecast(v, start, v.length), 0, out, start - from, v.length - start);
    }
    return out;
  }
}
