package io.tracecast.etl.window;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.dataset.BacktestFold;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.source.Metric;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a cleaned series chronologically and cuts it into sliding windows. A window never
 * spans two segments, and belongs to the split of its target steps; a window whose targets
 * fall in two splits is dropped and counted, so no target leaks across a boundary. Inputs may
 * reach back into the previous split: that history is known at forecast time. After the
 * configured features each input step holds the seasonal lag channels ({@link SeasonalHistory}),
 * scaled with their target's scaler. A backtest fold ({@link BacktestFold}) keeps each series only
 * up to the end of the fold's test window and rolls the split boundaries forward ({@link #cut}).
 */
public final class SlidingWindows implements Serializable {
  private final WindowSpec spec;
  private final double trainFraction;
  private final double validationFraction;
  /** Null for the normal dataset. */
  private final BacktestFold backtestFold;
  private final CalendarFeature[] calendar;
  private final int[] featureMetric;
  private final int[] targetMetric;

  /**
   * @param metrics the source format's metric order, as in {@link CleanedSeries#values()}
   */
  public SlidingWindows(WindowSpec spec, List<Metric> metrics, double trainFraction,
      double validationFraction) {
    this(spec, metrics, trainFraction, validationFraction, Optional.empty());
  }

  /**
   * @param backtestFold the fold whose dataset to cut ({@link #cut}); empty for the normal one
   */
  public SlidingWindows(WindowSpec spec, List<Metric> metrics, double trainFraction,
      double validationFraction, Optional<BacktestFold> backtestFold) {
    if (!(trainFraction > 0) || validationFraction < 0 || trainFraction + validationFraction > 1) {
      throw new IllegalArgumentException("split fractions must satisfy 0 < train, 0 <= validation,"
          + " train + validation <= 1; got " + trainFraction + ", " + validationFraction);
    }
    this.spec = spec;
    this.trainFraction = trainFraction;
    this.validationFraction = validationFraction;
    this.backtestFold = backtestFold.orElse(null);
    int f = spec.features().size();
    calendar = new CalendarFeature[f];
    featureMetric = new int[f];
    for (int i = 0; i < f; i++) {
      String name = spec.features().get(i);
      if (CalendarFeature.isCalendar(name)) {
        calendar[i] = CalendarFeature.fromColumn(name);
        featureMetric[i] = -1;
      } else {
        featureMetric[i] = metricIndex(metrics, name);
      }
    }
    targetMetric = spec.targets().stream().mapToInt(t -> metricIndex(metrics, t)).toArray();
  }

  private static int metricIndex(List<Metric> metrics, String column) {
    int index = metrics.indexOf(Metric.fromColumn(column));
    if (index < 0) {
      throw new IllegalArgumentException("metric '" + column + "' is not provided by this source;"
          + " it has " + Metric.columns(metrics));
    }
    return index;
  }

  public WindowSpec spec() {
    return spec;
  }

  /**
   * The series as the dataset holds it, with its plan: the whole series and {@link #plan} for
   * the normal dataset; for a backtest fold the points before the end of the fold's test window,
   * with the boundaries of {@link #boundaries}.
   */
  public Cut cut(CleanedSeries series) {
    int[] b = boundaries(series.size());
    CleanedSeries held = b[2] == series.size() ? series : series.head(b[2]);
    return new Cut(held, plan(held, b[0], b[1]));
  }

  /** A series as the dataset holds it and its plan. */
  public record Cut(CleanedSeries series, SeriesPlan plan) implements Serializable {}

  /**
   * {trainEnd, validationEnd, end} of a series of {@code n} points: the normal split boundaries
   * (fractions of n, rounded down) and n; for backtest fold k both boundaries rolled forward by
   * the start of the fold's test window and the end at its end ({@link BacktestFold}).
   */
  int[] boundaries(int n) {
    int trainEnd = pointsIn(n, trainFraction);
    int validationEnd = validationEnd(n);
    if (backtestFold == null) {
      return new int[] {trainEnd, validationEnd, n};
    }
    int testPoints = n - validationEnd;
    int start = backtestFold.start(testPoints);
    return new int[] {trainEnd + start, validationEnd + start,
        validationEnd + backtestFold.end(testPoints)};
  }

  /**
   * Chronological split boundaries and the windows each split will get, of the whole series
   * (for a backtest fold, plan the series {@link #cut} returns).
   */
  public SeriesPlan plan(CleanedSeries series) {
    int n = series.size();
    return plan(series, pointsIn(n, trainFraction), validationEnd(n));
  }

  private int validationEnd(int n) {
    return trainFraction + validationFraction >= 1
        ? n : pointsIn(n, trainFraction + validationFraction);
  }

  private SeriesPlan plan(CleanedSeries series, int trainEnd, int validationEnd) {
    long[] counts = new long[Split.values().length];
    long[] dropped = new long[2];
    int lags = spec.seasonalLags().size();
    long[][] withoutHistory = new long[lags][Split.values().length];
    SeasonalHistory history = lags == 0 ? null : history(series);
    visit(series, trainEnd, validationEnd, (split, end) -> {
      counts[split.ordinal()]++;
      for (int l = 0; l < lags; l++) {
        if (!history.complete(l, end - spec.lookback() + 1, end)) {
          withoutHistory[l][split.ordinal()]++;
        }
      }
    }, dropped);
    return new SeriesPlan(trainEnd, validationEnd, counts, dropped[0], dropped[1],
        withoutHistory);
  }

  /**
   * The first {@code fraction} of {@code n} points, rounded down. The tolerance keeps shares that
   * are whole numbers exact despite binary fractions: 90 * 0.7 is 62.99999999999999 in double
   * arithmetic, but 70 % of 90 points is 63.
   */
  static int pointsIn(int n, double fraction) {
    return (int) Math.min(n, Math.floor(n * fraction + 1e-9));
  }

  /** Feature values per point; each point is in up to `lookback` windows: calendar once. */
  private double[][] featureColumns(CleanedSeries series) {
    long[] ts = series.timestampsMicros();
    int f = featureMetric.length;
    double[][] columns = new double[f][];
    for (int i = 0; i < f; i++) {
      if (calendar[i] == null) {
        columns[i] = series.values()[featureMetric[i]];
      } else {
        columns[i] = new double[ts.length];
        for (int t = 0; t < ts.length; t++) {
          columns[i][t] = calendar[i].at(ts[t]);
        }
      }
    }
    return columns;
  }

  private SeasonalHistory history(CleanedSeries series) {
    return new SeasonalHistory(series, spec.seasonalLags(), spec.horizon(), targetMetric);
  }

  /** Which split point {@code index} belongs to. */
  public static Split splitOf(int index, int trainEnd, int validationEnd) {
    return index < trainEnd ? Split.TRAIN : index < validationEnd ? Split.VALIDATION : Split.TEST;
  }

  /** Builds every window of the plan, scaled with the job's scalers (by column name). */
  public void forEach(CleanedSeries series, SeriesPlan plan, Map<String, Scaler> scalers,
      WindowSink sink) {
    Inputs in = new Inputs(series, scalers);
    long[] ts = series.timestampsMicros();
    visit(series, plan.trainEnd(), plan.validationEnd(), (split, end) ->
        sink.accept(split, series.segment()[end], ts[end], in.endingAt(end), in.after(end)),
        new long[2]);
  }

  /**
   * The input window ending at the series' last point, whose targets lie beyond the data: what a
   * forecast of the steps after the data starts from. Built by the rule of every window of
   * {@link #forEach} ({@link Inputs}), so where the data does continue it equals, input for
   * input, the window the ETL writes at that end. Empty where the ETL could write no window
   * ending there: the last segment holds fewer than {@code lookback} points, or lacks a metric
   * the windows need.
   */
  public Optional<LatestWindow> latest(CleanedSeries series, Map<String, Scaler> scalers) {
    int n = series.size();
    if (n == 0) {
      return Optional.empty();
    }
    int[] starts = series.segmentStarts();
    int first = starts[starts.length - 2];
    if (n - first < spec.lookback() || !complete(series.values(), first)) {
      return Optional.empty();
    }
    float[] inputs = new Inputs(series, scalers).endingAt(n - 1);
    return Optional.of(new LatestWindow(series.segment()[n - 1],
        series.timestampsMicros()[n - 1], inputs));
  }

  /**
   * The input window ending at a series' last point.
   *
   * @param endMicros the last observed time (UTC µs): the forecast origin
   * @param inputs lookback x input channels, time-major, job-scaled as the stored windows
   */
  public record LatestWindow(int segment, long endMicros, float[] inputs) {
    public LatestWindow {
      if (inputs.length == 0) {
        throw new IllegalArgumentException("a window has inputs");
      }
    }
  }

  /**
   * The one rule for a window's tensors over one series: features scaled by their job scaler
   * (calendar channels as they are), then per step the seasonal lag channels, then the targets.
   */
  private final class Inputs {
    private final Scaler[] featureScalers;
    private final Scaler[] targetScalers;
    private final double[][] columns;
    private final double[][] v;
    private final SeasonalHistory history;

    Inputs(CleanedSeries series, Map<String, Scaler> scalers) {
      int f = featureMetric.length;
      featureScalers = new Scaler[f];
      for (int i = 0; i < f; i++) {
        featureScalers[i] = calendar[i] != null ? Scaler.identity()
            : requireScaler(scalers, spec.features().get(i), series);
      }
      targetScalers = spec.targets().stream().map(t -> requireScaler(scalers, t, series))
          .toArray(Scaler[]::new);
      columns = featureColumns(series);
      v = series.values();
      history = spec.seasonalLags().isEmpty() ? null : history(series);
    }

    /** Inputs of the window whose last lookback step is point {@code end}. */
    float[] endingAt(int end) {
      int f = featureMetric.length;
      int lags = spec.seasonalLags().size();
      float[] inputs = new float[spec.inputLength()];
      int k = 0;
      for (int t = end - spec.lookback() + 1; t <= end; t++) {
        for (int i = 0; i < f; i++) {
          inputs[k++] = (float) featureScalers[i].transform(columns[i][t]);
        }
        for (int l = 0; l < lags; l++) {
          for (int j = 0; j < targetMetric.length; j++) {
            double[] y = v[targetMetric[j]];
            inputs[k++] = (float) targetScalers[j].transform(history.value(l, t, y, y[end]));
          }
        }
      }
      return inputs;
    }

    /** Targets of that window: the {@code horizon} points after {@code end}. */
    float[] after(int end) {
      float[] targets = new float[spec.targetLength()];
      int k = 0;
      for (int h = 1; h <= spec.horizon(); h++) {
        for (int j = 0; j < targetMetric.length; j++) {
          targets[k++] = (float) targetScalers[j].transform(v[targetMetric[j]][end + h]);
        }
      }
      return targets;
    }
  }

  /**
   * The split and end time of every window {@link #forEach} builds, in the same order, without
   * building them: what panel counts need.
   */
  public void forEachEnd(CleanedSeries series, SeriesPlan plan, EndSink sink) {
    long[] ts = series.timestampsMicros();
    visit(series, plan.trainEnd(), plan.validationEnd(),
        (split, end) -> sink.accept(split, ts[end]), new long[2]);
  }

  /** Receives the split and end time (UTC µs) of one window. */
  public interface EndSink {
    void accept(Split split, long endMicros);
  }

  private static Scaler requireScaler(Map<String, Scaler> scalers, String column,
      CleanedSeries series) {
    Scaler s = scalers.get(column);
    if (s == null) {
      throw new IllegalStateException("no scaler for '" + column + "' of job " + series.jobId());
    }
    return s;
  }

  private interface EndVisitor {
    void visit(Split split, int endIndex);
  }

  /** dropped[0] counts windows straddling splits, dropped[1] windows lacking a metric. */
  private void visit(CleanedSeries series, int trainEnd, int validationEnd, EndVisitor visitor,
      long[] dropped) {
    int[] starts = series.segmentStarts();
    double[][] v = series.values();
    for (int s = 0; s + 1 < starts.length; s++) {
      int a = starts[s];
      int b = starts[s + 1];
      boolean complete = complete(v, a);
      for (int end = a + spec.lookback() - 1; end + spec.horizon() < b; end += spec.stride()) {
        Split first = splitOf(end + 1, trainEnd, validationEnd);
        Split last = splitOf(end + spec.horizon(), trainEnd, validationEnd);
        if (first != last) {
          dropped[0]++;
        } else if (!complete) {
          dropped[1]++;
        } else {
          visitor.visit(first, end);
        }
      }
    }
  }

  /**
   * Whether the segment starting at point {@code a} has every metric the windows need (cleaning
   * fills a metric's holes inside a segment, so a metric is NaN at the start or everywhere).
   */
  private boolean complete(double[][] v, int a) {
    boolean complete = true;
    for (int m : featureMetric) {
      complete &= m < 0 || !Double.isNaN(v[m][a]);
    }
    for (int m : targetMetric) {
      complete &= !Double.isNaN(v[m][a]);
    }
    return complete;
  }

  /** Receives one window: inputs time-major (lookback x features), targets (horizon x targets). */
  public interface WindowSink {
    void accept(Split split, int segment, long endMicros, float[] inputs, float[] targets);
  }

  /**
   * @param trainEnd index of the first point after the train split
   * @param validationEnd index of the first point after the validation split
   * @param windows windows per split, indexed by {@link Split#ordinal()}
   * @param windowsWithoutSeasonalHistory per seasonal lag (spec order), windows per split whose
   *     lag channels needed the last-value fill somewhere
   */
  public record SeriesPlan(int trainEnd, int validationEnd, long[] windows,
      long windowsStraddlingSplits, long windowsLackingAMetric,
      long[][] windowsWithoutSeasonalHistory) implements Serializable {}
}
