package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkShape;
import io.tracecast.training.gbt.GbtKind;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.pattern.PooledKind;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.plan.TrainingPlan;
import io.tracecast.training.plan.TrainingPlanner;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training stage's entry point: a windowed dataset in (read through the etl module's
 * {@link DatasetReader}), one published registry version per (job, model kind) out. The
 * {@link TrainingPlanner} splits the work: small jobs are packed, one Spark task per (job, kind)
 * in one Spark stage; large jobs train data-parallel over the executors, one after another but
 * side by side with the packed stage ({@link SchedulerPools}); then the GBT kinds and the
 * pattern-pooled models. {@link RunProgress} logs progress and an ETA for the whole run.
 * Failures are per (job, kind): recorded in the result, never stopping the others.
 */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  static final String DATA_PARALLEL_GROUP_PREFIX = "tracecast-data-parallel-";

  private TrainJob() {}

  public static TrainResult run(SparkSession spark, TrainRequest request) {
    long start = System.nanoTime();
    TrainSettings settings = request.settings();
    DatasetReader reader = DatasetReader.open(spark, request.dataset());
    Manifest m = reader.manifest();
    JobSelection selection = TrainingPlanner.select(m, request.jobs());
    TrainingPlan plan = settings.models().isEmpty()
        ? new TrainingPlan(List.of(), selection.skipped())
        : TrainingPlanner.plan(m, settings.models(), request.jobs(),
            settings.dataParallelMinWindows());
    List<TrainingTask> packed = plan.tasks(ExecutionMode.PACKED);
    List<TrainingTask> parallel = plan.tasks(ExecutionMode.DATA_PARALLEL);
    LOG.info("training {} networks: {} packed, {} data-parallel (>= {} train windows); "
            + "GBT kinds {} over {} jobs; pattern networks {}, tuned {}; {} jobs skipped {}",
        plan.tasks().size(), packed.size(), parallel.size(), settings.dataParallelMinWindows(),
        settings.gbtModels().stream().map(GbtKind::id).toList(), selection.jobs().size(),
        settings.pooled().patternNetworks(), settings.pooled().tunedNetworks(),
        plan.skipped().size(), plan.skipped());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelRegistry registry = ModelRegistry.open(request.registry(), conf);
    RunContext ctx = context(request, m, selection, registry, conf);
    // Patterns first: fitting them is cheap next to training, and a failure shows at once.
    PatternModel patterns = null;
    RuntimeException patternFailure = null;
    if (settings.needsPatterns()) {
      try {
        patterns = PatternTraining.fitAndStore(spark, reader, settings.pooled().patterns(),
            registry);
      } catch (RuntimeException e) {
        LOG.error("usage patterns failed: {}", e.toString(), e);
        patternFailure = e;
      }
    }

    RunProgress progress = RunProgress.of(plan, selection, settings);
    List<JobOutcome> outcomes = new ArrayList<>(SchedulerPools.sideBySide(spark.sparkContext(),
        () -> packed(spark, reader, packed, ctx, progress),
        () -> dataParallel(spark, reader, parallel, ctx, registry, progress)));
    for (GbtKind kind : settings.gbtModels()) {
      if (kind != GbtKind.GBT_PATTERN) {
        outcomes.addAll(trainGbt(spark, reader, kind, selection, ctx, registry));
        progress.done(kind.id());
      }
    }
    if (patterns != null) {
      outcomes.addAll(PatternTraining.train(spark, reader, patterns, selection, settings, ctx,
          registry));
    } else if (patternFailure != null) {
      for (String model : patternModels(settings)) {
        for (String job : selection.jobs()) {
          outcomes.add(JobOutcome.failed(job, model, ExecutionMode.POOLED, patternFailure));
        }
      }
    }
    progress.done(patternModels(settings));
    TrainResult result = new TrainResult(outcomes, plan.skipped(),
        (System.nanoTime() - start) / 1e9);
    LOG.info("trained {} models, {} failed {}", result.published().size(),
        result.failed().size(), result.failed().stream().map(JobOutcome::id).toList());
    return result;
  }

  /** Registry model names of the pattern-pooled kinds requested. */
  private static List<String> patternModels(TrainSettings settings) {
    List<String> out = new ArrayList<>();
    if (settings.gbtModels().contains(GbtKind.GBT_PATTERN)) {
      out.add(GbtKind.GBT_PATTERN.id());
    }
    settings.pooled().pooledNetworks().forEach(k -> out.add(PooledKind.PATTERN.modelName(k)));
    settings.pooled().tunedNetworks().forEach(k -> out.add(PooledKind.TUNED.modelName(k)));
    return out;
  }

  /** The packed stage; only failures Spark itself gives up on fail all its tasks at once. */
  private static List<JobOutcome> packed(SparkSession spark, DatasetReader reader,
      List<TrainingTask> tasks, RunContext ctx, RunProgress progress) {
    try {
      return PackedTraining.run(spark, reader, tasks, ctx, progress);
    } catch (RuntimeException e) {
      // A task failing its retries, lost executors: errors inside a task's training are
      // already outcomes.
      LOG.error("packed training stage failed: {}", e.toString(), e);
      progress.done(tasks.stream().map(TrainingTask::id).toList());
      return tasks.stream().map(t -> JobOutcome.failed(t, e)).toList();
    }
  }

  /** The data-parallel jobs, one at a time: each uses every slot its scheduler pool gets. */
  private static List<JobOutcome> dataParallel(SparkSession spark, DatasetReader reader,
      List<TrainingTask> tasks, RunContext ctx, ModelRegistry registry, RunProgress progress) {
    List<JobOutcome> out = new ArrayList<>();
    org.apache.spark.SparkContext sc = spark.sparkContext();
    for (TrainingTask task : tasks) {
      // A job group per network (thread-local, like the packed stage's): the Spark UI and
      // listeners tell its many averaging jobs from the packed tasks running meanwhile.
      sc.setJobGroup(DATA_PARALLEL_GROUP_PREFIX + task.id(), "tracecast data-parallel "
          + task.id(), false);
      try {
        out.add(DataParallelTraining.train(spark, reader, task, ctx, registry));
      } catch (RuntimeException e) {
        LOG.error("{} failed: {}", task.id(), e.toString(), e);
        out.add(JobOutcome.failed(task, e));
      } finally {
        sc.clearJobGroup();
      }
      progress.done(task.id());
    }
    return out;
  }

  /** A GBT kind (gbt or gbt_global); a failing kind fails its (job, model) outcomes only. */
  private static List<JobOutcome> trainGbt(SparkSession spark, DatasetReader reader,
      GbtKind kind, JobSelection selection, RunContext ctx, ModelRegistry registry) {
    // Largest first, as for the networks: Spark starts partitions in index order.
    List<String> jobs = selection.jobs().stream()
        .sorted(Comparator.comparing((String j) -> selection.trainWindows().get(j)).reversed()
            .thenComparing(Comparator.naturalOrder()))
        .toList();
    ExecutionMode mode = kind == GbtKind.GBT ? ExecutionMode.PACKED : ExecutionMode.POOLED;
    try {
      return kind == GbtKind.GBT ? GbtTraining.perJob(spark, reader, jobs, ctx)
          : PooledGbtTraining.train(spark, reader, jobs, ctx, registry);
    } catch (RuntimeException e) {
      LOG.error("{} training failed: {}", kind.id(), e.toString(), e);
      return jobs.stream().map(j -> JobOutcome.failed(j, kind.id(), mode, e)).toList();
    }
  }

  static RunContext context(TrainRequest request, Manifest m, JobSelection selection,
      ModelRegistry registry, Configuration conf) {
    TrainSettings settings = request.settings();
    NetworkShape shape = NetworkShape.of(m);
    Map<ModelKind, ModelSpec> specs = new EnumMap<>(ModelKind.class);
    settings.models().forEach(k -> specs.put(k, settings.specFor(k)));
    settings.pooled().pooledNetworks().forEach(k -> specs.put(k, settings.specFor(k)));
    HashMap<String, Map<String, Scaler>> scalers = new HashMap<>();
    for (String job : selection.jobs()) {
      scalers.put(job, new HashMap<>(m.scalersOf(job)));
    }
    // "_" keeps the checkpoints out of the registry's id space (see RegistryNames).
    String checkpoints = settings.checkpointDir().isEmpty()
        ? registry.root() + "/_checkpoints" : settings.checkpointDir();
    return new RunContext(qualified(request.dataset(), conf), m.fingerprint(), m.features(), m.targets(), shape,
        scalers, specs, registry.root(), checkpoints, new HadoopConfSnapshot(conf),
        settings.threadsPerTask(), settings.averagingFrequency(), CodeVersion.current(),
        request.listener(), settings.gbt());
  }

  /** Lineage names the dataset by its full URI: a relative path means nothing elsewhere. */
  private static String qualified(String path, Configuration conf) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resolve dataset path " + path, e);
    }
  }
}
