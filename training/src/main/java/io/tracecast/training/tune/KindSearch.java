package io.tracecast.training.tune;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.TuneOutcome;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.NetworkFiles;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.stage.ModelPublisher;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search of one (job, network kind): an {@link AsyncSearch} whose trials each run as a
 * one-task Spark job ({@link TrialTask}) on the job's windows, broadcast once per job
 * ({@link #windows}). Trial 0 is the kind's default spec, so the winner is never worse than it
 * on validation. The trial log lives next to the checkpoints
 * ({@link RegistryLayout#searchDir}), so a killed search resumes from its finished trials. The
 * winner is published as {@code <kind>_hpo} with the search in its lineage.
 */
public final class KindSearch {
  private static final Logger LOG = LoggerFactory.getLogger(KindSearch.class);

  private KindSearch() {}

  /** A job's windows for every trial of its searches, broadcast; destroy it when done. */
  public static Broadcast<TuneData> windows(SparkSession spark, DatasetReader reader,
      String job) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(TuneData.collect(spark, reader, job));
  }

  /**
   * Searches {@code kind} on {@code job}'s broadcast windows and publishes the winner.
   *
   * @param base the kind's default spec for this run (trial 0, and the base of every proposal)
   */
  public static TuneOutcome search(SparkSession spark, String job, NetworkArchitecture kind,
      Broadcast<TuneData> data, ModelSpec base, TuneSettings tune, RunContext ctx,
      ModelRegistry registry, int lookback) {
    long t0 = System.nanoTime();
    SearchSpace space = tune.space(kind);
    String dir = RegistryLayout.searchDir(ctx.checkpointRoot(), job, kind.id());
    TrialLog log = TrialLog.open(RegistryLayout.trialLog(dir), ctx.hadoop().get());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    AsyncSearch search = new AsyncSearch(space, tune.search().create(), log,
        List.of(space.paramsOf(base, lookback)), tune.seed());
    List<Trial> trials = search.run(tune.trials(), tune.parallelism(),
        (number, params, refs, best) -> {
          TrialTask task = new TrialTask(job, specOf(space, base, number, params, lookback),
              number, new LinkedHashMap<>(params), tune.pruner().orElse(null),
              new ArrayList<>(refs), best, dir, ctx);
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

  /** The registry model name of {@code kind}'s searched network, e.g. {@code mlp_hpo}. */
  public static String modelName(NetworkArchitecture kind) {
    return new ModelKind(kind, Scope.SEARCHED).id();
  }

  /** Trial 0 is the default spec itself; the others are proposals applied to it. */
  private static ModelSpec specOf(SearchSpace space, ModelSpec base, int number,
      Map<String, Object> params, int lookback) {
    return number == 0 ? base : space.apply(base, params, lookback);
  }

  @SuppressWarnings("unchecked")
  private static int publish(String job, NetworkArchitecture kind, ModelSpec spec, Trial winner,
      TuneOutcome searched, SearchSpace space, TuneSettings tune, String dir, RunContext ctx,
      ModelRegistry registry) {
    Configuration conf = ctx.hadoop().get();
    ComputationGraph network = readNetwork(RegistryLayout.trialNetwork(dir, winner.number()),
        conf);
    Lineage.Search record = new Lineage.Search(tune.search().id(), tune.seed(),
        (Map<String, Object>) TrialLog.jsonShaped(tune.pruner().orElse(null)), space.describe(),
        (Map<String, Object>) TrialLog.jsonShaped(winner), searched.defaultTrial()
            .map(Trial::objective).orElse(Double.NaN), searched.epochsRun(),
        searched.epochsWithoutPruning(),
        (List<Map<String, Object>>) TrialLog.jsonShaped(searched.trials()));
    TrainingHistory history = new TrainingHistory(winner.epochs(), winner.bestEpoch(),
        winner.seconds(), 0);
    JobOutcome o = ModelPublisher.publish(job, modelName(kind), ExecutionMode.PACKED, spec,
        new FitOutcome(network, history, 0), Lineage.NONE.withSearch(record), ctx, registry);
    removeLosers(dir, winner.number(), conf);
    return o.version();
  }

  private static ComputationGraph readNetwork(String file, Configuration conf) {
    Path p = new Path(file);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return NetworkFiles.read(in, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the winning network " + file + ": " + e, e);
    }
  }

  /** Drops the kept networks other than the winner's (which a rerun publishes again). */
  private static void removeLosers(String dir, int winner, Configuration conf) {
    Path networks = new Path(RegistryLayout.trialNetworks(dir));
    String keep = new Path(RegistryLayout.trialNetwork(dir, winner)).getName();
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
