package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.metric.ErrorSums;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.evaluation.report.SeriesScore;
import io.tracecast.evaluation.report.StepScore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;

/**
 * Scores from forecasts: error sums per (split, job, series, model) computed on executors, merged
 * on the driver into per-job and pooled scores, so every level is an exact aggregate of the
 * forecasts (not a mean of means). Metrics pool every horizon step and target of a window.
 */
public final class ScoreBook {
  /** Family of rows scored for provisioning only (they forecast nothing). */
  public static final String POLICY = "POLICY";

  /** The order sums merge in: fixed, so every aggregate is the same double on every run. */
  private static final Comparator<SeriesSums> BY_SUM_ORDER = Comparator
      .comparing(SeriesSums::job).thenComparing(SeriesSums::model)
      .thenComparing(SeriesSums::series).thenComparingInt(SeriesSums::version)
      .thenComparingInt(SeriesSums::step).thenComparingInt(SeriesSums::fold);

  private final List<SeriesSums> sums;
  /** Validation sums by {@link #modelKey}: read once per model by the champion choice. */
  private final Map<String, ErrorSums> validationByVersion;

  private ScoreBook(List<SeriesSums> sums) {
    this.sums = List.copyOf(sums);
    this.validationByVersion = merge(Split.VALIDATION,
        s -> modelKey(s.job(), s.model(), s.version()));
  }

  /** Error sums of one model on one series, split, horizon step and backtest fold. */
  public record SeriesSums(Split split, String job, String series, String model, int version,
      String family, int step, int fold, ErrorSums sums) implements Serializable {}

  /** Inference cost of one (job, model): see {@code LatencyProbe}. */
  public record Cost(double latencyMicrosPerWindow, double windowsPerSecond) {
    public static final Cost NONE = new Cost(Double.NaN, Double.NaN);
  }

  /**
   * @param levels quantile levels by {@link #modelKey}; models absent from it are point
   *     forecasters
   */
  public static ScoreBook of(Dataset<ForecastRow> forecasts, Map<String, double[]> levels,
      double mapeFloor) {
    return of(forecasts, levels, new double[0], Folds.none(), mapeFloor);
  }

  /**
   * @param levels quantile levels by {@link #modelKey}; models absent from it are point
   *     forecasters
   * @param intervalLevels the levels of the conformal intervals the rows carry ({@link
   *     ForecastRow#getIntervals}, attached by {@link CalibratedForecasts}); a row without
   *     intervals is scored without them
   * @param folds the backtest folds the test split is cut into
   */
  public static ScoreBook of(Dataset<ForecastRow> forecasts, Map<String, double[]> levels,
      double[] intervalLevels, Folds folds, double mapeFloor) {
    Map<String, double[]> lv = new LinkedHashMap<>(levels);
    MapGroupsFunction<String, ForecastRow, SeriesSums> sum = (key, rows) -> {
      ErrorSums s = null;
      ForecastRow first = null;
      while (rows.hasNext()) {
        ForecastRow r = rows.next();
        if (s == null) {
          first = r;
          s = new ErrorSums(mapeFloor, lv.getOrDefault(
              modelKey(r.getJobId(), r.getModel(), r.getVersion()), new double[0]),
              intervalLevels);
        }
        s.add(r.getActual(), r.getPoint(), r.getQuantiles(), r.getProvision());
        double[] bounds = r.getIntervals();
        if (bounds != null) {
          s.addInterval(r.getActual(), bounds);
        }
      }
      return new SeriesSums(Split.fromLabel(first.getSplit()), first.getJobId(), first.getSeriesId(),
          first.getModel(), first.getVersion(), first.getFamily(), first.getStep(),
          folds.of(first), s);
    };
    List<SeriesSums> rows = forecasts
        .groupByKey((MapFunction<ForecastRow, String>) r -> String.join("\u0000", r.getSplit(),
            r.getJobId(), r.getSeriesId(), r.getModel(), Integer.toString(r.getVersion()),
            Integer.toString(r.getStep()), Integer.toString(folds.of(r))),
            Encoders.STRING())
        .mapGroups(sum, Encoders.javaSerialization(SeriesSums.class))
        .collectAsList();
    return new ScoreBook(rows);
  }

  /** This book and {@code other}'s sums together (e.g. the ensemble's, scored afterwards). */
  public ScoreBook plus(ScoreBook other) {
    List<SeriesSums> all = new ArrayList<>(sums);
    all.addAll(other.sums);
    return new ScoreBook(all);
  }

  public static String modelKey(String job, String model, int version) {
    return job + "\u0000" + model + "\u0000" + version;
  }

  /** Test-split point metrics per series and model (every step pooled), sorted. */
  public List<SeriesScore> seriesScores() {
    Map<String, SeriesSums> any = new LinkedHashMap<>();
    Map<String, ErrorSums> bySeries = merge(Split.TEST, s -> !s.family().equals(POLICY), s -> {
      String key = String.join("\u0000", s.job(), s.series(), s.model(),
          Integer.toString(s.version()));
      any.putIfAbsent(key, s);
      return key;
    });
    return bySeries.entrySet().stream()
        .map(e -> {
          SeriesSums id = any.get(e.getKey());
          return new SeriesScore(id.job(), id.series(), id.model(), id.version(),
              e.getValue().pointMetrics());
        })
        .sorted(Comparator.comparing(SeriesScore::job).thenComparing(SeriesScore::series)
            .thenComparing(SeriesScore::model))
        .toList();
  }

  /**
   * One row per (job, model) on the test split, then the pooled {@link ModelScore#ALL_JOBS}
   * rows (a neural model's pooled row carries the highest version scored).
   */
  public List<ModelScore> jobScores(Map<String, Cost> costs) {
    List<ModelScore> out = new ArrayList<>();
    Map<String, ErrorSums> test = merge(Split.TEST, s -> modelKey(s.job(), s.model(), s.version()));
    Map<String, ErrorSums> validation = validationByVersion;
    Map<String, SeriesSums> any = new LinkedHashMap<>();
    sums.forEach(s -> any.putIfAbsent(modelKey(s.job(), s.model(), s.version()), s));
    Map<String, List<StepScore>> steps = steps(s -> modelKey(s.job(), s.model(), s.version()));
    Map<String, List<Double>> folds = foldMae(s -> modelKey(s.job(), s.model(), s.version()));
    test.forEach((key, s) -> {
      SeriesSums id = any.get(key);
      if (id.family().equals(POLICY)) {
        return;
      }
      ErrorSums v = validation.get(key);
      Cost c = costs.getOrDefault(key, Cost.NONE);
      out.add(new ModelScore(id.job(), id.model(), ModelFamily.valueOf(id.family()), id.version(),
          s.pointMetrics(), s.quantileMetrics(), s.provisioning(),
          v == null ? Double.NaN : v.pointMetrics().mae(), c.latencyMicrosPerWindow(),
          c.windowsPerSecond(), s.intervalMetrics(), steps.getOrDefault(key, List.of()),
          folds.getOrDefault(key, List.of())));
    });
    out.addAll(pooled(out));
    return out;
  }

  /**
   * Test-split provisioning outcomes of a policy (e.g. the reactive autoscaler) by job, plus
   * the pooled outcome under {@link ModelScore#ALL_JOBS}.
   */
  public Map<String, ProvisioningOutcome> policyOutcomes(String policy) {
    Map<String, ProvisioningOutcome> out = new java.util.TreeMap<>();
    Map<String, ErrorSums> byJob = merge(Split.TEST, s -> s.model().equals(policy), SeriesSums::job);
    byJob.forEach((job, s) -> out.put(job, s.provisioning()));
    merge(Split.TEST, s -> s.model().equals(policy), s -> ModelScore.ALL_JOBS)
        .forEach((all, s) -> out.put(all, s.provisioning()));
    return out;
  }

  private List<ModelScore> pooled(List<ModelScore> perJob) {
    Map<String, ErrorSums> test = merge(Split.TEST, SeriesSums::model);
    Map<String, ErrorSums> validation = merge(Split.VALIDATION, SeriesSums::model);
    Map<String, List<StepScore>> steps = steps(SeriesSums::model);
    Map<String, List<Double>> folds = foldMae(SeriesSums::model);
    List<ModelScore> out = new ArrayList<>();
    test.forEach((model, s) -> {
      if (perJob.stream().noneMatch(r -> r.model().equals(model))) {
        return;
      }
      List<ModelScore> rows = perJob.stream().filter(r -> r.model().equals(model)).toList();
      ModelScore first = rows.get(0);
      int version = rows.stream().mapToInt(ModelScore::version).max().orElse(0);
      ErrorSums v = validation.get(model);
      out.add(new ModelScore(ModelScore.ALL_JOBS, model, first.family(), version,
          s.pointMetrics(), s.quantileMetrics(), s.provisioning(),
          v == null ? Double.NaN : v.pointMetrics().mae(),
          rows.stream().mapToDouble(ModelScore::latencyMicrosPerWindow).average().orElse(Double.NaN),
          rows.stream().mapToDouble(ModelScore::windowsPerSecond).average().orElse(Double.NaN),
          s.intervalMetrics(), steps.getOrDefault(model, List.of()),
          folds.getOrDefault(model, List.of())));
    });
    return out;
  }

  /**
   * Test MAE per backtest fold, oldest first, of each group of sums {@code key} names; empty
   * lists when the book has one fold (no backtest).
   */
  private Map<String, List<Double>> foldMae(Function<SeriesSums, String> key) {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    testBy(key, SeriesSums::fold).forEach((k, byFold) -> {
      if (byFold.size() > 1 || byFold.keySet().stream().anyMatch(f -> f > 0)) {
        int last = java.util.Collections.max(byFold.keySet());
        List<Double> mae = new ArrayList<>();
        for (int f = 0; f <= last; f++) {
          ErrorSums e = byFold.get(f);
          mae.add(e == null ? Double.NaN : e.pointMetrics().mae());
        }
        out.put(k, mae);
      }
    });
    return out;
  }

  /** The test sums merged per {@code key} and, within it, per {@code sub} (ascending). */
  private Map<String, Map<Integer, ErrorSums>> testBy(Function<SeriesSums, String> key,
      java.util.function.ToIntFunction<SeriesSums> sub) {
    Map<String, Map<Integer, ErrorSums>> byKey = new LinkedHashMap<>();
    sums.stream().filter(s -> s.split() == Split.TEST).sorted(BY_SUM_ORDER)
        .forEach(s -> byKey.computeIfAbsent(key.apply(s), k -> new java.util.TreeMap<>())
            .merge(sub.applyAsInt(s), copy(s.sums()), ErrorSums::merge));
    return byKey;
  }

  /** Test scores per horizon step, ascending, of each group of sums {@code key} names. */
  private Map<String, List<StepScore>> steps(Function<SeriesSums, String> key) {
    Map<String, List<StepScore>> out = new LinkedHashMap<>();
    testBy(key, SeriesSums::step).forEach((k, bySteps) -> out.put(k, bySteps.entrySet().stream()
        .map(e -> new StepScore(e.getKey(), e.getValue().pointMetrics(),
            e.getValue().intervalMetrics(), e.getValue().upperProvisioning()))
        .toList()));
    return out;
  }

  /** Validation MAE and RMSE of one (job, model, version), NaN when it has no validation data. */
  public double[] validation(String job, String model, int version) {
    ErrorSums s = validationByVersion.get(modelKey(job, model, version));
    return s == null ? new double[] {Double.NaN, Double.NaN}
        : new double[] {s.pointMetrics().mae(), s.pointMetrics().rmse()};
  }

  private Map<String, ErrorSums> merge(Split split, Function<SeriesSums, String> key) {
    return merge(split, s -> true, key);
  }

  private Map<String, ErrorSums> merge(Split split, java.util.function.Predicate<SeriesSums> which,
      Function<SeriesSums, String> key) {
    Map<String, ErrorSums> out = new LinkedHashMap<>();
    sums.stream().filter(s -> s.split() == split && which.test(s))
        .sorted(BY_SUM_ORDER)
        .forEach(s -> out.merge(key.apply(s), copy(s.sums()), ErrorSums::merge));
    return out;
  }

  private static ErrorSums copy(ErrorSums s) {
    return new ErrorSums(0, s.levels(), s.intervalLevels()).merge(s);
  }
}
