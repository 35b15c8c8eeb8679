package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.source.HadoopConfSnapshot;
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
 * {@link TrainingPlanner} splits the work: small jobs are packed, one Spark task each, in one
 * Spark job; large jobs then train one after another, each data-parallel over all executors.
 * Failures are per (job, kind): recorded in the result, never stopping the others.
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
        selection.skipped().size(), selection.skipped());
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

    List<JobOutcome> outcomes = new ArrayList<>();
    try {
      outcomes.addAll(PackedTraining.run(spark, reader, packed, ctx));
    } catch (RuntimeException e) {
      // Only failures Spark itself gives up on land here (a task failing its retries, lost
      // executors); errors inside a job's training are already outcomes.
      LOG.error("packed training stage failed: {}", e.toString(), e);
      packed.forEach(t -> outcomes.add(JobOutcome.failed(t, e)));
    }
    for (TrainingTask task : parallel) {
      try {
        outcomes.add(DataParallelTraining.train(spark, reader, task, ctx, registry));
      } catch (RuntimeException e) {
        LOG.error("{} failed: {}", task.id(), e.toString(), e);
        outcomes.add(JobOutcome.failed(task, e));
      }
    }
    outcomes.addAll(trainGbt(spark, reader, settings.gbtModels().stream()
        .filter(k -> k != GbtKind.GBT_PATTERN).toList(), selection, ctx, registry));
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
    TrainResult result = new TrainResult(outcomes, selection.skipped(),
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

  /** The GBT kinds of the request; a failing kind fails its (job, model) outcomes only. */
  private static List<JobOutcome> trainGbt(SparkSession spark, DatasetReader reader,
      List<GbtKind> kinds, JobSelection selection, RunContext ctx, ModelRegistry registry) {
    List<JobOutcome> out = new ArrayList<>();
    // Largest first, as for the networks: Spark starts partitions in index order.
    List<String> jobs = selection.jobs().stream()
        .sorted(Comparator.comparing((String j) -> selection.trainWindows().get(j)).reversed()
            .thenComparing(Comparator.naturalOrder()))
        .toList();
    for (GbtKind kind : kinds) {
      ExecutionMode mode = kind == GbtKind.GBT ? ExecutionMode.PACKED : ExecutionMode.POOLED;
      try {
        out.addAll(kind == GbtKind.GBT ? GbtTraining.perJob(spark, reader, jobs, ctx)
            : PooledGbtTraining.train(spark, reader, jobs, ctx, registry));
      } catch (RuntimeException e) {
        LOG.error("{} training failed: {}", kind.id(), e.toString(), e);
        jobs.forEach(j -> out.add(JobOutcome.failed(j, kind.id(), mode, e)));
      }
    }
    return out;
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
