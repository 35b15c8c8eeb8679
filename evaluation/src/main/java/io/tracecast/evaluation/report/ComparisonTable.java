package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelFamily;
import io.tracecast.evaluation.baseline.Persistence;
import io.tracecast.evaluation.metric.FoldSpread;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The job x model table every output format renders: rows grouped by job (jobs in name order,
 * the pooled {@link ModelScore#ALL_JOBS} group last), ranked within the job by test MAE, ties
 * by RMSE. A model without a finite MAE ranks last.
 *
 * @param quantileLevels every quantile level any row reports, ascending (the pinball columns)
 * @param intervalLevels every split-conformal interval level any row reports, ascending
 */
record ComparisonTable(List<JobRanking> jobs, List<Double> quantileLevels,
    List<Double> intervalLevels) {

  static final String PERSISTENCE = new Persistence().name();

  private static final Comparator<ModelScore> BY_TEST_ERROR =
      Comparator.comparingDouble((ModelScore s) -> orLast(s.point().mae()))
          .thenComparingDouble(s -> orLast(s.point().rmse()));

  ComparisonTable {
    jobs = List.copyOf(jobs);
    quantileLevels = List.copyOf(quantileLevels);
    intervalLevels = List.copyOf(intervalLevels);
  }

  static ComparisonTable of(EvaluationReport report) {
    Map<String, List<ModelScore>> byJob = new TreeMap<>(ComparisonTable::jobOrder);
    TreeSet<Double> levels = new TreeSet<>();
    TreeSet<Double> intervalLevels = new TreeSet<>();
    for (ModelScore s : report.jobScores()) {
      s.intervals().forEach(i -> intervalLevels.add(i.level()));
      byJob.computeIfAbsent(s.job(), j -> new ArrayList<>()).add(s);
      QuantileMetrics q = s.quantiles();
      if (q != null) {
        for (double level : q.levels()) {
          levels.add(level);
        }
      }
    }
    List<JobRanking> jobs = new ArrayList<>();
    byJob.forEach((job, scores) -> jobs.add(rank(job, scores, report.champions().get(job),
        report.reactive().get(job))));
    return new ComparisonTable(jobs, new ArrayList<>(levels), new ArrayList<>(intervalLevels));
  }

  /** Backtest folds of the table's rows (1: no backtest). */
  int folds() {
    return jobs.stream().flatMap(j -> j.rows().stream())
        .mapToInt(r -> r.score().foldMae().size()).max().orElse(1);
  }

  /** The longest horizon any row is scored over (1 for a one-step dataset). */
  int horizon() {
    return jobs.stream().flatMap(j -> j.rows().stream())
        .mapToInt(r -> r.score().steps().size()).max().orElse(1);
  }

  /** Jobs that are not the pooled group, in table order. */
  List<JobRanking> perJob() {
    return jobs.stream().filter(j -> !j.pooled()).toList();
  }

  /** The pooled group, or null when the report has no {@link ModelScore#ALL_JOBS} rows. */
  JobRanking pooled() {
    return jobs.stream().filter(JobRanking::pooled).findFirst().orElse(null);
  }

  private static JobRanking rank(String job, List<ModelScore> scores, Champion champion,
      ProvisioningOutcome reactive) {
    List<ModelScore> sorted = new ArrayList<>(scores);
    sorted.sort(BY_TEST_ERROR);
    double persistenceMae = sorted.stream()
        .filter(s -> s.family() == ModelFamily.BASELINE && PERSISTENCE.equals(s.model()))
        .mapToDouble(s -> s.point().mae()).findFirst().orElse(Double.NaN);
    List<Double> persistenceFolds = sorted.stream()
        .filter(s -> s.family() == ModelFamily.BASELINE && PERSISTENCE.equals(s.model()))
        .map(ModelScore::foldMae).findFirst().orElse(List.of());
    List<RankedScore> rows = new ArrayList<>();
    List<Double> bestFolds = sorted.isEmpty() ? List.of()
        : foldRatios(sorted.get(0), persistenceFolds);
    int rank = 0;
    for (int i = 0; i < sorted.size(); i++) {
      ModelScore s = sorted.get(i);
      // competition ranking: 1, 2, 2, 4 when the 2nd and 3rd are equal on MAE and RMSE
      if (i == 0 || BY_TEST_ERROR.compare(sorted.get(i - 1), s) != 0) {
        rank = i + 1;
      }
      List<Double> ratios = foldRatios(s, persistenceFolds);
      boolean withinNoise = i > 0 && FoldSpread.withinNoise(ratios, bestFolds);
      rows.add(new RankedScore(s, rank, s.point().mae() / persistenceMae, isChampion(s, champion),
          FoldSpread.of(ratios), withinNoise, FoldSpread.NONE));
    }
    return new JobRanking(job, withSeedSpread(rows), champion, reactive);
  }

  /**
   * Each row of a model scored in several versions with its spread over them: evaluation scores
   * several versions of one model only when they differ by nothing but the seed
   * ({@code scoring/CandidateFinder.seedSiblings}). Not in the pooled group, whose one row per
   * model pools its versions.
   */
  private static List<RankedScore> withSeedSpread(List<RankedScore> rows) {
    Map<String, List<Double>> byModel = new TreeMap<>();
    for (RankedScore r : rows) {
      if (r.score().family().trained() && !ModelScore.ALL_JOBS.equals(r.score().job())) {
        byModel.computeIfAbsent(r.score().model(), m -> new ArrayList<>())
            .add(r.maeVsPersistence());
      }
    }
    List<RankedScore> out = new ArrayList<>();
    for (RankedScore r : rows) {
      List<Double> group = byModel.getOrDefault(r.score().model(), List.of());
      FoldSpread seeds = r.score().family().trained() && group.size() > 1
          ? FoldSpread.of(group) : FoldSpread.NONE;
      out.add(new RankedScore(r.score(), r.rank(), r.maeVsPersistence(), r.champion(),
          r.folds(), r.withinNoise(), seeds));
    }
    return out;
  }

  /** The most versions any model of the table is scored in: above 1, the table has seeds. */
  int seeds() {
    return jobs.stream().flatMap(j -> j.rows().stream())
        .mapToInt(r -> r.seeds().folds()).max().orElse(0);
  }

  /** A row's MAE over persistence's, fold by fold; empty without a backtest. */
  static List<Double> foldRatios(ModelScore s, List<Double> persistenceFolds) {
    List<Double> out = new ArrayList<>();
    for (int k = 0; k < Math.min(s.foldMae().size(), persistenceFolds.size()); k++) {
      out.add(s.foldMae().get(k) / persistenceFolds.get(k));
    }
    return out;
  }

  private static boolean isChampion(ModelScore s, Champion champion) {
    return champion != null && s.family() == champion.family()
        && s.model().equals(champion.model()) && s.version() == champion.version();
  }

  private static double orLast(double value) {
    return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
  }

  static int jobOrder(String a, String b) {
    boolean aAll = ModelScore.ALL_JOBS.equals(a);
    boolean bAll = ModelScore.ALL_JOBS.equals(b);
    return aAll || bAll ? Boolean.compare(aAll, bAll) : a.compareTo(b);
  }

  /** Levels as they appear in column names: 0.1 -> "10", 0.025 -> "2.5". */
  static String percentLabel(double level) {
    return io.tracecast.evaluation.metric.IntervalMetrics.percent(level);
  }
}
