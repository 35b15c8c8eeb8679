package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.plan.DataParallelRule;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.plan.PooledWork;
import io.tracecast.training.plan.TrainingPlan;
import io.tracecast.training.plan.TrainingPlanner;
import io.tracecast.training.pooled.GlobalModels;
import io.tracecast.training.pooled.PatternModels;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.run.RunProgress;
import io.tracecast.training.stage.JobModels;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training stage's entry point: a windowed dataset in (read through the etl module's
 * {@link DatasetReader}), one published registry version per (job, model kind) out. The
 * {@link TrainingPlanner} plans the work: per job, small jobs' networks are packed, one Spark
 * task per (job, kind) in one Spark stage, and large jobs train data-parallel over the
 * executors, one after another but side by side with the packed stage ({@link JobModels}); then
 * the per-job trees and the global ones, in the order requested, and the pattern-pooled kinds.
 * {@link RunProgress} logs progress and an ETA for the whole run. Failures are per (job, kind):
 * recorded in the result, never stopping the others.
 */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  private TrainJob() {}

  public static TrainResult run(SparkSession spark, TrainRequest request) {
    long start = System.nanoTime();
    TrainSettings settings = request.settings();
    DatasetReader reader = DatasetReader.open(spark, request.dataset());
    Manifest m = reader.manifest();
    JobSelection selection = TrainingPlanner.select(m, request.jobs());
    // The slots every planned network shares: Spark's default parallelism (local[N]: N; a
    // cluster: its executors' cores).
    DataParallelRule rule = settings.dataParallel(spark.sparkContext().defaultParallelism());
    TrainingPlan plan = TrainingPlanner.plan(m, settings.models(), request.jobs(), rule);
    LOG.info("training {} per-job models: {} packed, {} data-parallel ({}); "
            + "pooled kinds {} over {} jobs; {} jobs skipped {}",
        plan.tasks().size(), plan.tasks(ExecutionMode.PACKED).size(),
        plan.tasks(ExecutionMode.DATA_PARALLEL).size(), rule,
        plan.pooled().stream().map(PooledWork::id).toList(), selection.jobs().size(),
        plan.skipped().size(), plan.skipped());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelRegistry registry = ModelRegistry.open(request.registry(), conf);
    RunContext ctx = RunContext.of(request.dataset(), m, selection.jobs(), settings, registry,
        conf, request.listener());
    // Patterns first: fitting them is cheap next to training, and a failure shows at once.
    PatternModel patterns = null;
    RuntimeException patternFailure = null;
    if (settings.needsPatterns()) {
      try {
        patterns = PatternModels.fitAndStore(spark, reader, settings.pooled().patterns(),
            registry);
      } catch (RuntimeException e) {
        LOG.error("usage patterns failed: {}", e.toString(), e);
        patternFailure = e;
      }
    }

    RunProgress progress = RunProgress.of(plan);
    List<JobOutcome> outcomes = new ArrayList<>(JobModels.networks(spark, reader, plan, ctx,
        registry, progress));
    // --seeds: the per-job networks again with the next seeds, each round its own versions
    String checkpoints = RegistryLayout.checkpoints(registry.root(), settings.checkpointDir());
    for (int offset = 1; offset < settings.seeds(); offset++) {
      TrainSettings round = settings.seedRound(offset, checkpoints);
      LOG.info("seed round {} of {}: networks with seed + {}", offset + 1, settings.seeds(),
          offset);
      outcomes.addAll(JobModels.networks(spark, reader, plan, RunContext.of(request.dataset(), m,
          selection.jobs(), round, registry, conf, request.listener()), registry,
          RunProgress.of(plan)));
    }
    for (ModelKind kind : settings.models()) {
      if (kind.family() == ModelFamily.GBT && kind.scope() == Scope.JOB) {
        outcomes.addAll(JobModels.trees(spark, reader, plan, kind, ctx, progress));
      }
    }
    outcomes.addAll(GlobalModels.train(spark, reader, selection, settings, rule, ctx,
        registry));
    progress.done(settings.models().stream()
        .filter(k -> k.scope().trainsFrom(Scope.GLOBAL))
        .map(ModelKind::id).toList());
    List<String> patternKinds = settings.models().stream()
        .filter(k -> k.scope().trainsFrom(Scope.PATTERN))
        .map(ModelKind::id).toList();
    if (patterns != null) {
      outcomes.addAll(PatternModels.train(spark, reader, patterns, selection, settings, rule,
          ctx, registry));
    } else if (patternFailure != null) {
      for (String model : patternModels(settings)) {
        for (String job : selection.jobs()) {
          outcomes.add(JobOutcome.failed(job, model, ExecutionMode.POOLED, patternFailure));
        }
      }
    }
    progress.done(patternKinds);
    TrainResult result = new TrainResult(outcomes, plan.skipped(),
        (System.nanoTime() - start) / 1e9);
    LOG.info("trained {} models, {} failed {}", result.published().size(),
        result.failed().size(), result.failed().stream().map(JobOutcome::id).toList());
    return result;
  }

  /**
   * Registry model names of the pattern-pooled kinds a run trains: those requested, and the
   * pattern networks the tuned ones start from.
   */
  private static List<String> patternModels(TrainSettings settings) {
    List<String> out = new ArrayList<>();
    settings.kinds(Scope.PATTERN).stream().filter(k -> k.family() == ModelFamily.GBT)
        .forEach(k -> out.add(k.id()));
    settings.patternNetworks().forEach(n -> out.add(new ModelKind(n, Scope.PATTERN).id()));
    settings.kinds(Scope.TUNED).forEach(k -> out.add(k.id()));
    return out;
  }
}
