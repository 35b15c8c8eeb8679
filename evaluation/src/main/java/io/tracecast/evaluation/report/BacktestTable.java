package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.FoldSpread;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The backtest with refitting of one dataset (rolling-origin retraining): one evaluation report
 * per fold k, of models trained on fold k's dataset ({@code etl --backtest-fold k/K}: what
 * precedes the fold's test window) and scored on that window, beside the normal report's K
 * folds without refitting (the same test windows, models trained once before fold 0). Per job
 * and model: test MAE over persistence's fold by fold (as {@link ComparisonTable} computes it
 * for each fold's report), the mean and 95 % interval over folds ({@link FoldSpread}), and
 * whether the row is within noise of the best ({@link FoldSpread#withinNoise}, the rule of every
 * ≈). The best refit row is the model with the lowest mean; the no-refit columns are the normal
 * report's own (best = its rank-1 row).
 *
 * @param folds K
 * @param jobs jobs in name order, the pooled {@link ModelScore#ALL_JOBS} group last (left out
 *     for a dataset of one job, where it repeats the job)
 */
public record BacktestTable(int folds, List<Job> jobs) {
  /** The row of the champions, each picked on its own fold's validation split. */
  public static final String PICKED = "champion picked per fold";
  static final String MARKDOWN = "backtest.md";
  static final String CSV = "backtest.csv";

  public BacktestTable {
    jobs = List.copyOf(jobs);
  }

  /** A job's rows: {@link #PICKED} first, then models by their mean with refitting. */
  public record Job(String job, List<Row> rows) {
    public Job {
      rows = List.copyOf(rows);
    }
  }

  /**
   * @param refit per fold, oldest first, test MAE / persistence's with refitting (NaN where the
   *     fold did not score the model)
   * @param championFolds the folds whose champion this model was, ascending
   * @param noRefit the same over the normal report's folds; empty where it did not score the
   *     model or has no backtest
   * @param servingChampion whether the normal run picked it: the champion it serves
   */
  public record Row(String model, List<Double> refit, FoldSpread refitSpread,
      boolean refitWithinNoise, List<Integer> championFolds, List<Double> noRefit,
      FoldSpread noRefitSpread, boolean noRefitWithinNoise, boolean servingChampion) {
    public Row {
      refit = Collections.unmodifiableList(new ArrayList<>(refit));
      noRefit = Collections.unmodifiableList(new ArrayList<>(noRefit));
      championFolds = List.copyOf(championFolds);
    }
  }

  /**
   * @param foldReports fold k's report at index k
   * @param normal the normal run's report (its {@code --folds} should be K), or null
   */
  public static BacktestTable of(List<EvaluationReport> foldReports, EvaluationReport normal) {
    int k = foldReports.size();
    if (k == 0) {
      throw new IllegalArgumentException("a backtest needs at least one fold report");
    }
    Map<String, Map<String, Double[]>> refit = new TreeMap<>(ComparisonTable::jobOrder);
    Map<String, Map<String, List<Integer>>> champions = new TreeMap<>();
    for (int f = 0; f < k; f++) {
      for (JobRanking job : ComparisonTable.of(foldReports.get(f)).jobs()) {
        Map<String, Double[]> rows = refit.computeIfAbsent(job.job(), j -> new LinkedHashMap<>());
        rows.computeIfAbsent(PICKED, m -> nans(k));
        for (Map.Entry<String, RankedScore> e : keyed(job).entrySet()) {
          double ratio = e.getValue().maeVsPersistence();
          rows.computeIfAbsent(e.getKey(), m -> nans(k))[f] = ratio;
          if (e.getValue().champion()) {
            rows.get(PICKED)[f] = ratio;
            champions.computeIfAbsent(job.job(), j -> new TreeMap<>())
                .computeIfAbsent(e.getKey(), m -> new ArrayList<>()).add(f);
          }
        }
      }
    }
    Map<String, Map<String, RankedScore>> noRefit = new TreeMap<>();
    Map<String, List<Double>> persistenceFolds = new TreeMap<>();
    if (normal != null) {
      for (JobRanking job : ComparisonTable.of(normal).jobs()) {
        noRefit.put(job.job(), keyed(job));
        refit.computeIfAbsent(job.job(), j -> new LinkedHashMap<>());
        persistenceFolds.put(job.job(), job.rows().stream()
            .filter(r -> r.score().model().equals(ComparisonTable.PERSISTENCE)
                && !r.score().family().trained())
            .map(r -> r.score().foldMae()).findFirst().orElse(List.of()));
      }
    }
    boolean oneJob = refit.keySet().stream().filter(j -> !ModelScore.ALL_JOBS.equals(j)).count()
        == 1;
    List<Job> jobs = new ArrayList<>();
    refit.forEach((job, rows) -> {
      if (!(oneJob && ModelScore.ALL_JOBS.equals(job))) {
        jobs.add(job(job, rows, champions.getOrDefault(job, Map.of()),
            noRefit.getOrDefault(job, Map.of()), persistenceFolds.getOrDefault(job, List.of())));
      }
    });
    return new BacktestTable(k, jobs);
  }

  private static Job job(String job, Map<String, Double[]> refit,
      Map<String, List<Integer>> champions,
      Map<String, RankedScore> noRefit, List<Double> persistenceFolds) {
    List<String> models = new ArrayList<>(refit.keySet());
    noRefit.keySet().stream().filter(m -> !refit.containsKey(m)).forEach(models::add);
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    models.forEach(m -> ratios.put(m, refit.containsKey(m) ? Arrays.asList(refit.get(m))
        : List.of()));
    String best = models.stream().filter(m -> !PICKED.equals(m))
        .filter(m -> Double.isFinite(FoldSpread.of(ratios.get(m)).mean()))
        .min(Comparator.comparingDouble(m -> FoldSpread.of(ratios.get(m)).mean())).orElse(null);
    List<Double> bestRatios = best == null ? List.of() : ratios.get(best);
    List<Row> rows = new ArrayList<>();
    for (String m : models) {
      List<Double> r = ratios.get(m);
      RankedScore n = noRefit.get(m);
      rows.add(new Row(m, r, FoldSpread.of(r), !m.equals(best)
          && FoldSpread.withinNoise(r, bestRatios), champions.getOrDefault(m, List.of()),
          n == null ? List.of() : ComparisonTable.foldRatios(n.score(), persistenceFolds),
          n == null ? FoldSpread.NONE : n.folds(), n != null && n.withinNoise(),
          n != null && n.champion()));
    }
    rows.sort(Comparator.comparing((Row r) -> !PICKED.equals(r.model()))
        .thenComparingDouble(r -> Double.isFinite(r.refitSpread().mean())
            ? r.refitSpread().mean() : Double.POSITIVE_INFINITY));
    return new Job(job, rows);
  }

  /**
   * A job's rows by model: the model's name, or {@code name #i} (i from 1, by version) where
   * the job scores several versions of it (seeds), so that folds line up row by row.
   */
  private static Map<String, RankedScore> keyed(JobRanking job) {
    Map<String, List<RankedScore>> byModel = new TreeMap<>();
    job.rows().forEach(r -> byModel.computeIfAbsent(r.score().model(), m -> new ArrayList<>())
        .add(r));
    Map<String, RankedScore> out = new LinkedHashMap<>();
    byModel.forEach((model, rows) -> {
      rows.sort(Comparator.comparingInt(r -> r.score().version()));
      for (int i = 0; i < rows.size(); i++) {
        out.put(rows.size() == 1 ? model : model + " #" + (i + 1), rows.get(i));
      }
    });
    return out;
  }

  private static Double[] nans(int k) {
    Double[] a = new Double[k];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  /**
   * The table of the fold reports in {@code foldReportDirs} (fold k at index k) and the normal
   * report in {@code normalReportDir} (null: none), read back by {@link ReportReader}.
   */
  public static BacktestTable read(List<String> foldReportDirs, String normalReportDir,
      Configuration conf) {
    return of(foldReportDirs.stream().map(d -> ReportReader.read(d, conf)).toList(),
        normalReportDir == null ? null : ReportReader.read(normalReportDir, conf));
  }

  /** The pooled group, or the one job of a one-job dataset; null when empty. */
  public Job headline() {
    return jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
  }

  /**
   * Writes {@value #MARKDOWN} and {@value #CSV} into {@code dir} (any Hadoop filesystem), each
   * replaced by one staged commit, as the pipeline's summary is.
   */
  public void write(String dir, Configuration conf) throws IOException {
    PipelineIndex.replace(new Path(dir, MARKDOWN), BacktestFormats.markdown(this), conf);
    PipelineIndex.replace(new Path(dir, CSV), BacktestFormats.csv(this), conf);
  }
}
