package io.tracecast.evaluation;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Panel;
import io.tracecast.etl.dataset.PanelAssembly;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.evaluation.autoscaling.PolicyComparison;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.report.EvaluationReport;
import io.tracecast.evaluation.report.ForecastTrace;
import io.tracecast.evaluation.report.GraphAdjacency;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.ReportWriter;
import io.tracecast.evaluation.report.SeriesScore;
import io.tracecast.evaluation.report.UsagePatterns;
import io.tracecast.evaluation.scoring.BaselineForecaster;
import io.tracecast.evaluation.scoring.BaselineSet;
import io.tracecast.evaluation.scoring.Candidate;
import io.tracecast.evaluation.scoring.CalibratedForecasts;
import io.tracecast.evaluation.scoring.CandidateFinder;
import io.tracecast.evaluation.scoring.ChampionPicker;
import io.tracecast.evaluation.scoring.ChampionPublisher;
import io.tracecast.evaluation.scoring.ConformalBands;
import io.tracecast.evaluation.scoring.EnsembleForecasts;
import io.tracecast.evaluation.scoring.EnsembleSpec;
import io.tracecast.evaluation.scoring.Folds;
import io.tracecast.evaluation.scoring.ForecastRow;
import io.tracecast.evaluation.scoring.ForecastTable;
import io.tracecast.evaluation.scoring.LatencyProbe;
import io.tracecast.evaluation.scoring.ScoreBook;
import io.tracecast.evaluation.scoring.TraceCollector;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.registry.Forecaster;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelLoader;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.PanelForecaster;
import io.tracecast.training.registry.WindowForecaster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation stage's entry point: scores the registry's networks and the classical
 * baselines on a dataset's test split in original units, picks each job's champion on the
 * validation split and aliases it in the registry, and writes the report.
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  private static final int PROBE_WINDOWS = 256;
  private static final int ADJACENCY_PANELS = 512;

  private EvaluateJob() {}

  public static EvaluationResult run(SparkSession spark, EvaluateRequest req) {
    long t0 = System.nanoTime();
    EvaluationSettings s = req.settings();
    DatasetReader reader = DatasetReader.open(spark, req.dataset());
    Manifest m = reader.manifest();
    List<String> jobs = req.jobs().isEmpty() ? m.jobs() : req.jobs();
    List<String> unknown = jobs.stream().filter(j -> !m.jobs().contains(j)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("jobs " + unknown + " are not in dataset "
          + req.dataset() + " (jobs: " + m.jobs() + ")");
    }
    ModelRegistry registry = ModelRegistry.open(req.registry(),
        spark.sparkContext().hadoopConfiguration());
    CandidateFinder.Found found = CandidateFinder.find(registry, m, s.modelRef());
    Map<String, List<Candidate>> candidates = new TreeMap<>(found.byJob());
    candidates.keySet().retainAll(jobs);
    List<String> notes = new ArrayList<>(found.notes());

    Dataset<Row> windows = ForecastTable.windows(spark, reader, jobs,
        List.of(Split.VALIDATION, Split.TEST));
    LongAccumulator fallbacks = spark.sparkContext().longAccumulator("baseline fallbacks");
    LongAccumulator guarded = spark.sparkContext().longAccumulator("arima guard fallbacks");
    Dataset<ForecastRow> forecasts = ForecastTable.trained(spark, reader, windows,
            registry.root(), candidates, s.batchSize(), s.threadsPerTask(), s.provisioning())
        .unionByName(ForecastTable.baselines(spark, reader, windows, jobs,
            BaselineSet.of(s, m.stepSeconds()), s.provisioning(), fallbacks, guarded))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<Dataset<ForecastRow>> persisted = new ArrayList<>();
    try {
      Map<String, double[]> levels = new LinkedHashMap<>();
      candidates.values().forEach(cs -> cs.forEach(c -> levels.put(
          ScoreBook.modelKey(c.job(), c.model(), c.version()),
          c.quantiles().stream().mapToDouble(Double::doubleValue).toArray())));
      // every candidate's intervals, from its own residuals: validation only (split), or the
      // most recent ones each forecast's origin has observed (rolling)
      double[] intervalLevels = s.intervalLevelArray();
      CalibratedForecasts calibrated = CalibratedForecasts.of(forecasts, intervalLevels,
          s.intervalCalibration(), m);
      Dataset<ForecastRow> banded = calibrated.forecasts()
          .persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(banded);
      Folds folds = Folds.of(forecasts, s.folds());
      ScoreBook singles = ScoreBook.of(banded, levels, intervalLevels, folds, s.mapeFloor());
      // read the baselines' counters now: later stages may recompute cached partitions
      long fallbackCount = fallbacks.value();
      long guardedCount = guarded.value();
      LOG.info("evaluate: forecasts scored after {} s", seconds(t0));
      Map<String, ScoreBook.Cost> costs = costs(spark, reader, registry, candidates);
      LOG.info("evaluate: inference cost measured after {} s", seconds(t0));
      // the ensemble's members are the best candidates on validation, so it is scored second
      Map<String, List<EnsembleSpec.Member>> members = EnsembleForecasts.members(singles.jobScores(costs),
          singles, s.ensembleMembers());
      Dataset<ForecastRow> ensemble = EnsembleForecasts.forecasts(forecasts, members,
          s.provisioning()).persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(ensemble);
      CalibratedForecasts ensembleCalibrated = members.isEmpty() ? null
          : CalibratedForecasts.of(ensemble, intervalLevels, s.intervalCalibration(), m);
      Dataset<ForecastRow> bandedEnsemble = null;
      if (ensembleCalibrated != null) {
        bandedEnsemble = ensembleCalibrated.forecasts().persist(StorageLevel.MEMORY_AND_DISK());
        persisted.add(bandedEnsemble);
      }
      ScoreBook book = members.isEmpty() ? singles
          : singles.plus(ScoreBook.of(bandedEnsemble, Map.of(), intervalLevels, folds,
              s.mapeFloor()));
      ConformalBands allBands = members.isEmpty() ? calibrated.served()
          : calibrated.served().plus(ensembleCalibrated.served());
      if (allBands.size() > 0) {
        // what predict widens each served version's forecasts by
        registry.publishIntervals(m.fingerprint(), allBands.toJson());
      }
      List<ModelScore> scores = book.jobScores(costs);
      List<SeriesScore> seriesScores = book.seriesScores();

      Map<String, Champion> champions = new TreeMap<>();
      Map<String, List<ModelScore>> plotted = new TreeMap<>();
      for (String job : jobs) {
        ChampionPicker.pick(job, scores, book, s.championMetric()).ifPresent(c -> {
          Champion served = s.championAlias().isEmpty() ? c
              : ChampionPublisher.publish(registry, m, req.dataset(), c, s,
                  members.getOrDefault(job, List.of()), s.championAlias());
          champions.put(job, served);
        });
        plotted.put(job, plotted(job, scores, champions.get(job)));
      }
      Dataset<ForecastRow> all = members.isEmpty() ? banded : banded.unionByName(bandedEnsemble);
      Map<String, List<ForecastTrace>> traces = TraceCollector.collect(all, m.targets().get(0),
          plotted, seriesScores, s.traceSteps());
      // the fan chart shows the step a provisioning decision must cover: what a planner buys
      int startup = s.startupDelaySteps(m.stepSeconds(), m.horizon());
      Map<String, ModelScore> championScores = new TreeMap<>();
      champions.forEach((job, c) -> championScore(job, scores, c)
          .ifPresent(r -> championScores.put(job, r)));
      Map<String, ForecastTrace> fans = TraceCollector.fans(all, m.targets().get(0),
          championScores, seriesScores, s.traceSteps(), startup, intervalLevels);
      LOG.info("evaluate: champions and traces after {} s", seconds(t0));
      if (folds.count() > 1) {
        notes.add("backtest: each job's test split cut into " + folds.count() + " rolling test "
            + "windows of equal span, each scored on its own (models trained on the train split "
            + "and picked on validation, both before the first); the tables give MAE vs "
            + "persistence's fold by fold as mean ± 95 % interval, ≈ where a row's paired "
            + "difference to the best row's is within that noise");
      }
      if (fallbackCount > 0) {
        notes.add(fallbackCount + " baseline forecasts fell back to the last value where "
            + "a segment held too little history");
      }
      if (guardedCount > 0) {
        notes.add(guardedCount + " ARIMA forecasts left the series' train band [min - range,"
            + " max + range] and were replaced by the last value");
      }
      if (m.targets().size() > 1 || m.horizon() > 1) {
        notes.add("metrics pool every horizon step (" + m.horizon() + ") and target "
            + m.targets() + "; steps.csv has them per step, and the champion is chosen on "
            + "validation MAE over all steps, every forecast weighted alike");
      }
      PolicyComparison policies = PolicyComparison.of(spark, reader, registry, jobs, s,
          s.traceSteps());
      if (policies != null) {
        notes.addAll(policies.notes());
        LOG.info("evaluate: autoscaling policies compared after {} s", seconds(t0));
      }
      EvaluationReport report = new EvaluationReport(req.dataset(), registry.root(),
          Instant.now().toString(), String.join(", ", m.targets()),
          m.units() == null ? "" : m.units().getOrDefault(m.targets().get(0), ""), scores,
          seriesScores, champions, traces, curves(candidates, found.metadataByPath()),
          book.policyOutcomes(BaselineForecaster.REACTIVE), notes,
          usagePatterns(registry, m, jobs), adjacency(spark, reader, registry, candidates),
          startup, fans, policies);
      try {
        ReportWriter.write(report, req.reportDir(), spark.sparkContext().hadoopConfiguration());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write report " + req.reportDir() + ": "
            + e, e);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      LOG.info("evaluated {} jobs, {} networks, {} baselines in {} s; report {}", jobs.size(),
          candidates.values().stream().mapToInt(List::size).sum(), s.baselines().size(),
          String.format("%.1f", wall), req.reportDir());
      return new EvaluationResult(report, req.reportDir(), fallbackCount, wall, book);
    } finally {
      persisted.forEach(Dataset::unpersist);
      forecasts.unpersist();
    }
  }

  /**
   * Each job's graph model's mean learned adjacency over (up to {@value #ADJACENCY_PANELS} of)
   * the test panels of its largest graph, for the report's heat map; the newest graph version
   * when a job has several.
   */
  private static Map<String, GraphAdjacency> adjacency(SparkSession spark, DatasetReader reader,
      ModelRegistry registry, Map<String, List<Candidate>> candidates) {
    Map<String, GraphAdjacency> out = new TreeMap<>();
    candidates.forEach((job, cs) -> cs.stream().filter(Candidate::graph)
        .max(Comparator.comparingInt(Candidate::version)).ifPresent(c -> {
          Manifest.Graph graph = reader.manifest().graphsOf(job).stream()
              .max(Comparator.comparingInt(Manifest.Graph::nodeCount)).orElseThrow();
          List<Panel> panels = reader.encodedPanels(spark, Split.TEST, List.of(job))
              .where(org.apache.spark.sql.functions.col(PanelAssembly.GRAPH_ID)
                  .equalTo(graph.graphId()))
              .orderBy(WindowSchema.END_TIME).limit(ADJACENCY_PANELS).collectAsList().stream()
              .map(Panel::from).toList();
          if (panels.isEmpty()) {
            return;
          }
          double[][] w = ((PanelForecaster) ModelLoader.load(registry, c.modelVersion()))
              .meanAdjacency(panels);
          // the network may be wider than this graph (padding for a larger sibling): crop
          int n = graph.nodeCount();
          double[][] square = new double[n][];
          for (int i = 0; i < n; i++) {
            square[i] = java.util.Arrays.copyOf(w[i], n);
          }
          out.put(job, new GraphAdjacency(job, c.model(), c.version(), graph.nodes(), square));
        }));
    return out;
  }

  /** The dataset's usage patterns when training stored them (pattern-pooled kinds), else null. */
  private static UsagePatterns usagePatterns(ModelRegistry registry, Manifest m,
      List<String> jobs) {
    return registry.patterns(m.fingerprint()).map(PatternModel::fromJson).map(model -> {
      Map<String, Integer> byJob = new TreeMap<>();
      model.jobs().stream().filter(j -> jobs.contains(j.jobId()))
          .forEach(j -> byJob.put(j.jobId(), j.pattern()));
      Map<Integer, Integer> members = new TreeMap<>();
      model.patterns().forEach(p -> members.put(p.index(), p.members().size()));
      return new UsagePatterns(byJob, model.patterns().stream()
          .map(PatternModel.Pattern::dailyProfile).toList(), members);
    }).orElse(null);
  }

  private static String seconds(long t0) {
    return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
  }

  /** The champion's row among the job's scores (the version its forecasts carry). */
  private static java.util.Optional<ModelScore> championScore(String job,
      List<ModelScore> scores, Champion champ) {
    return scores.stream().filter(r -> r.job().equals(job)
        && r.model().equals(champ.model()) && r.version() == champ.version()).findFirst();
  }

  /** The champion and the best baseline by test MAE: the two lines a plot compares. */
  private static List<ModelScore> plotted(String job, List<ModelScore> scores, Champion champ) {
    List<ModelScore> out = new ArrayList<>();
    if (champ != null) {
      championScore(job, scores, champ).ifPresent(out::add);
    }
    scores.stream().filter(r -> r.job().equals(job) && r.family() == ModelFamily.BASELINE
            && !out.contains(r))
        .min(Comparator.comparingDouble(r -> r.point().mae())).ifPresent(out::add);
    return out;
  }

  /**
   * Inference cost per (job, model). Every job's network of a model has the same architecture
   * and input size, so each model is timed once, on the first job that has it, with that job's
   * test windows, and the figure stands for all its jobs.
   */
  private static Map<String, ScoreBook.Cost> costs(SparkSession spark, DatasetReader reader,
      ModelRegistry registry, Map<String, List<Candidate>> candidates) {
    Map<String, ScoreBook.Cost> byModel = new LinkedHashMap<>();
    candidates.forEach((job, cs) -> {
      List<Candidate> untimed = cs.stream().filter(c -> !byModel.containsKey(c.model())).toList();
      if (untimed.isEmpty()) {
        return;
      }
      List<Row> sample = reader.encodedWindows(spark, Split.TEST, List.of(job))
          .limit(PROBE_WINDOWS).collectAsList();
      for (Candidate c : untimed) {
        Forecaster f = ModelLoader.load(registry, c.modelVersion());
        if (f instanceof PanelForecaster graph) {
          List<Panel> panels = reader.encodedPanels(spark, Split.TEST, List.of(job))
              .limit(PROBE_WINDOWS / c.nodes() + 1).collectAsList().stream().map(Panel::from)
              .toList();
          byModel.put(c.model(), LatencyProbe.graph(graph, panels));
        } else {
          byModel.put(c.model(), LatencyProbe.measure(((WindowForecaster) f)::forecast,
              sample));
        }
      }
    });
    Map<String, ScoreBook.Cost> out = new LinkedHashMap<>();
    candidates.forEach((job, cs) -> cs.forEach(c -> out.put(
        ScoreBook.modelKey(job, c.model(), c.version()), byModel.get(c.model()))));
    return out;
  }

  private static Map<String, Map<String, TrainingHistory>> curves(
      Map<String, List<Candidate>> candidates, Map<String, ModelMetadata> metadata) {
    Map<String, Map<String, TrainingHistory>> out = new TreeMap<>();
    candidates.forEach((job, cs) -> cs.forEach(c -> out.computeIfAbsent(job, j ->
        new TreeMap<>()).put(c.model() + " v" + c.version(), metadata.get(c.path()).history())));
    return out;
  }
}
