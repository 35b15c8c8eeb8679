package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.plan.TrainingPlanner;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryNames;
import io.tracecast.training.tune.AsyncSearch;
import io.tracecast.training.tune.SearchSpace;
import io.tracecast.training.tune.Trial;
import io.tracecast.training.tune.TrialLog;
import io.tracecast.training.tune.TuneSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracecast tune}'s entry point: per (job, kind), an {@link AsyncSearch} whose trials
 * each run as a one-task Spark job ({@link TrialTask}) on the job's windows, broadcast once.
 * Trial 0 is the kind's default spec, so the winner is never worse than it on validation. The
 * trial log lives next to the checkpoints ({@code <checkpoints>/_tune/<job>/<kind>/}), so a
 * killed run resumes from its finished trials. The winner is published as {@code <kind>_hpo}
 * with the search space, the winning trial and every trial in its metadata {@code params}.
 *
 * <p>Every trial is one packed task, whatever the job's size: {@code data-parallel-min-windows}
 * decides how {@code train} fits one network, but a search fits many, and one trial per task
 * slot keeps every slot busy where a data-parallel trial would hold the whole cluster for one
 * network. A job's windows must fit in a task's memory (they are broadcast): 352k windows of
 * 12 x 8 floats are about 135 MB.
 */
public final class TuneJob {
  private static final Logger LOG = LoggerFactory.getLogger(TuneJob.class);

  private TuneJob() {}

  public static List<TuneOutcome> run(SparkSession spark, TuneRequest request) {
    DatasetReader reader = DatasetReader.open(spark, request.dataset());
    Manifest m = reader.manifest();
    JobSelection selection = TrainingPlanner.select(m, request.jobs());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelRegistry registry = ModelRegistry.open(request.registry(), conf);
    RunContext ctx = TrainJob.context(new TrainRequest(request.dataset(), request.registry(),
        request.jobs(), request.train().withModels(request.kinds())), m, selection, registry,
        conf);
    List<TuneOutcome> out = new ArrayList<>();
    for (String job : selection.jobs()) {
      String refusal = refusal(job, selection);
      if (refusal != null) {
        LOG.warn("tune {}: {}", job, refusal);
        request.kinds().forEach(k -> out.add(TuneOutcome.failed(job, k, refusal)));
        continue;
      }
      Broadcast<TuneData> data = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .broadcast(TuneData.collect(spark, reader, job));
      try {
        for (ModelKind kind : request.kinds()) {
          try {
            out.add(search(spark, job, kind, data, request, ctx, registry, m.lookback()));
          } catch (RuntimeException e) {
            LOG.error("tune {}/{} failed: {}", job, kind.id(), e.toString(), e);
            out.add(TuneOutcome.failed(job, kind, e.toString()));
          }
        }
      } finally {
        data.destroy();
      }
    }
    selection.skipped().forEach((job, why) -> LOG.info("tune: skipped {}: {}", job, why));
    return out;
  }

  private static String refusal(String job, JobSelection selection) {
    if (selection.validationWindows().getOrDefault(job, 0L) == 0) {
      return "no validation windows: the search's objective is the validation MAE";
    }
    return null;
  }

  /** The search directory of (job, kind): trial log, kept networks, trial checkpoints. */
  static String searchDir(RunContext ctx, String job, ModelKind kind) {
    return ctx.checkpointRoot() + "/_tune/" + RegistryNames.encode(job, "job") + "/"
        + kind.id();
  }

  private static TuneOutcome search(SparkSession spark, String job, ModelKind kind,
      Broadcast<TuneData> data, TuneRequest request, RunContext ctx, ModelRegistry registry,
      int lookback) {
    long t0 = System.nanoTime();
    TuneSettings tune = request.tune();
    SearchSpace space = tune.space(kind);
    ModelSpec base = ctx.spec(kind);
    String dir = searchDir(ctx, job, kind);
    TrialLog log = TrialLog.open(dir + "/trials.jsonl", ctx.hadoop().get());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    AsyncSearch search = new AsyncSearch(space, tune.search().create(), log,
        List.of(space.paramsOf(base, lookback)), tune.seed());
    List<Trial> trials = search.run(tune.trials(), tune.parallelism(),
        (number, params, refs, best) -> {
          TrialTask task = new TrialTask(job, specOf(space, base, number, params, lookback), number,
              new LinkedHashMap<>(params), tune.pruner().orElse(null), new ArrayList<>(refs),
              best, dir, ctx);
          jsc.setJobGroup("tune-" + number, job + "/" + kind.id() + " trial " + number, false);
          return TrialLog.fromJson(jsc.parallelize(List.of(number), 1)
              .map(n -> TrialLog.toJson(task.run(data.value()))).collect().get(0));
        });
    TuneOutcome searched = new TuneOutcome(job, kind, trials, null, 0, null,
        (System.nanoTime() - t0) / 1e9, base.training().maxEpochs());
    Trial winner = searched.winner().orElseThrow(() -> new IllegalStateException(
        "no trial of " + job + "/" + kind.id() + " was scored; see " + log.path()));
    ModelSpec spec = specOf(space, base, winner.number(), winner.params(), lookback);
    int version = publish(job, kind, spec, winner, searched, space, tune, dir, ctx, registry);
    LOG.info("tune {}/{}: best trial {} of {}, validation MAE {} (default {}), published v{}",
        job, kind.id(), winner.number(), trials.size(), winner.objective(),
        searched.defaultTrial().map(Trial::objective).orElse(Double.NaN), version);
    return new TuneOutcome(job, kind, trials, spec, version, null, searched.wallSeconds(),
        searched.maxEpochs());
  }

  /** Trial 0 is the default spec itself; the others are proposals applied to it. */
  private static ModelSpec specOf(SearchSpace space, ModelSpec base, int number,
      Map<String, Object> params, int lookback) {
    return number == 0 ? base : space.apply(base, params, lookback);
  }

  private static int publish(String job, ModelKind kind, ModelSpec spec, Trial winner,
      TuneOutcome searched, SearchSpace space, TuneSettings tune, String dir, RunContext ctx,
      ModelRegistry registry) {
    Configuration conf = ctx.hadoop().get();
    ComputationGraph network = readNetwork(TrialTask.networkFile(dir, winner.number()), conf);
    Map<String, Object> tuning = new LinkedHashMap<>();
    tuning.put("search", tune.search().id());
    tuning.put("seed", tune.seed());
    tuning.put("pruner", TrialLog.jsonShaped(tune.pruner().orElse(null)));
    tuning.put("space", space.describe());
    tuning.put("winner", TrialLog.jsonShaped(winner));
    tuning.put("defaultValidationMae", searched.defaultTrial().map(Trial::objective)
        .orElse(Double.NaN));
    tuning.put("epochsRun", searched.epochsRun());
    tuning.put("epochsWithoutPruningEstimate", searched.epochsWithoutPruning());
    tuning.put("trials", TrialLog.jsonShaped(searched.trials()));
    TrainingHistory history = new TrainingHistory(winner.epochs(), winner.bestEpoch(),
        winner.seconds(), 0);
    JobOutcome o = ModelPublisher.publish(job, TuneSettings.modelName(kind),
        ExecutionMode.PACKED, spec, new FitOutcome(network, history, 0),
        Map.of("tuning", tuning), ctx, registry);
    removeLosers(dir, winner.number(), conf);
    return o.version();
  }

  private static ComputationGraph readNetwork(String file, Configuration conf) {
    Path p = new Path(file);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return ModelSerializer.restoreComputationGraph(in, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the winning network " + file + ": " + e, e);
    }
  }

  /** Drops the kept networks other than the winner's (which a rerun publishes again). */
  private static void removeLosers(String dir, int winner, Configuration conf) {
    Path networks = new Path(dir + "/networks");
    String keep = new Path(TrialTask.networkFile(dir, winner)).getName();
    try {
      FileSystem fs = networks.getFileSystem(conf);
      for (FileStatus s : fs.listStatus(networks)) {
        if (!s.getPath().getName().equals(keep)) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not tidy {}: {}", networks, e.toString());
    }
  }
}
