package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.gbt.GbtFeatures;
import io.tracecast.training.gbt.GbtFit;
import io.tracecast.training.gbt.GbtKind;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.gbt.GbtTrainer;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The per-job GBT kind ({@code gbt}): packed like the networks, one Spark task per job over the
 * same job-partitioned windows, each fitting its job's boosters with xgboost4j on
 * {@code threadsPerTask} threads and publishing them. A job's failure is its own outcome.
 */
final class GbtTraining {
  private static final Logger LOG = LoggerFactory.getLogger(GbtTraining.class);

  private GbtTraining() {}

  /** @param jobs the jobs to train, largest first (Spark starts partitions in index order) */
  static List<JobOutcome> perJob(SparkSession spark, DatasetReader reader, List<String> jobs,
      RunContext ctx) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<JobOutcome> outcomes;
    try (PackedStage stage = PackedStage.start(spark.sparkContext(), "gbt per job",
        jobs.size())) {
      outcomes = new ArrayList<>(stage.mark(PackedTraining.windowsByJob(spark, reader, jobs)
          .mapPartitions(it -> trainPartition(it, jobs, ctx)))
          .collect());
    }
    for (String job : jobs) {
      if (outcomes.stream().noneMatch(o -> o.job().equals(job))) {
        outcomes.add(JobOutcome.failed(job, GbtKind.GBT.id(), ExecutionMode.PACKED,
            new IllegalStateException("no train windows read for job " + job)));
      }
    }
    return outcomes;
  }

  private static Iterator<JobOutcome> trainPartition(Iterator<Tuple2<Integer, WindowRow>> rows,
      List<String> jobs, RunContext ctx) {
    PackedTraining.JobPartition p = PackedTraining.drain(rows, jobs);
    if (p == null) {
      return List.<JobOutcome>of().iterator();
    }
    String model = GbtKind.GBT.id();
    try {
      JobWindows w = p.windows();
      GbtFit fit = GbtTrainer.fit(ctx.gbt(), features(ctx), w.trainInputs(), w.trainTargets(),
          w.validationInputs(), w.validationTargets(), ctx.threadsPerTask());
      ModelRegistry registry = ModelRegistry.open(ctx.registryRoot(), ctx.hadoop().get());
      JobOutcome o = publish(registry, p.job(), model, fit.model(), fit.history(),
          Map.of("bestRounds", fit.bestRounds()), ExecutionMode.PACKED, ctx);
      LOG.info("{}/{}: published v{}, {} rounds (best {}), validation MAE {}, {} s", p.job(),
          model, o.version(), o.epochs(), o.bestEpoch(),
          fit.history().epochs().get(o.bestEpoch() - 1).validationMae(), o.wallSeconds());
      return List.of(o).iterator();
    } catch (Exception e) {
      LOG.error("{}/{} failed: {}", p.job(), model, e.toString(), e);
      return List.of(JobOutcome.failed(p.job(), model, ExecutionMode.PACKED, e)).iterator();
    }
  }

  /** The feature layout of this run's dataset. */
  static GbtFeatures features(RunContext ctx) {
    return new GbtFeatures(ctx.shape().lookback(), ctx.features());
  }

  /** Publishes a GBT model as family GBT with the run's provenance; {@code extra} into params. */
  static JobOutcome publish(ModelRegistry registry, String job, String model, GbtModel gbt,
      TrainingHistory history, Map<String, Object> extra, ExecutionMode mode, RunContext ctx) {
    ModelMetadata metadata = new ModelMetadata(ModelMetadata.SCHEMA_VERSION, job, model, null,
        ctx.shape(), ctx.datasetFingerprint(), ctx.datasetPath(), ctx.features(), ctx.targets(),
        ctx.scalers().getOrDefault(job, Map.of()), history, ctx.codeVersion(), Hardware.detect(),
        Instant.now().toString(), ModelFamily.GBT, gbt.params(extra));
    ModelVersion v = registry.publish(job, model, metadata, gbt.toFiles());
    return new JobOutcome(job, model, mode, true, v.version(), null, history.epochs().size(),
        history.bestEpoch(), 0, history.samplesPerSecond(), history.wallSeconds());
  }
}
