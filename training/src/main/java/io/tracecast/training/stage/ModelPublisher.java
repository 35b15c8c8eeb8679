package io.tracecast.training.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.PausePoint;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochFitter;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import io.tracecast.training.run.RunContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a finished training with the provenance the registry contract asks for: spec or
 * hyperparameters, shape, dataset fingerprint and path, features, targets, the job's scalers,
 * the training curve, lineage, code version and hardware.
 */
public final class ModelPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);
  /** Compares lineage as JSON gives it back (numbers by value). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelPublisher() {}

  /**
   * Runs the epoch loop of {@code task} (resuming from its checkpoint if one matches), publishes
   * the best network with {@code lineage}, and drops the checkpoint only once the version is in
   * the registry.
   */
  public static JobOutcome fitAndPublish(TrainingTask task, ModelSpec spec, EpochFitter fitter,
      Lineage lineage, RunContext ctx, ModelRegistry registry) {
    CheckpointStore checkpoints = ctx.checkpoints(task.job(), task.kind().id());
    FitOutcome fit = fit(task.job(), spec, checkpoints, fitter, ctx);
    JobOutcome outcome = publish(task.job(), task.kind().id(), task.mode(), spec, fit, lineage,
        ctx, registry);
    checkpoints.delete();
    return outcome;
  }

  /**
   * The epoch loop, resuming from {@code checkpoints} when they match; {@code label} names the
   * job (or pattern) in logs. Delete the checkpoints once the result is published.
   */
  public static FitOutcome fit(String label, ModelSpec spec, CheckpointStore checkpoints,
      EpochFitter fitter, RunContext ctx) {
    return new EpochLoop(label, spec, ctx.datasetFingerprint(), checkpoints, ctx.listener())
        .run(fitter);
  }

  /** Publishes a network under {@code job/model} (a pooled one under each of its jobs). */
  public static JobOutcome publish(String job, String model, ExecutionMode mode, ModelSpec spec,
      FitOutcome fit, Lineage lineage, RunContext ctx, ModelRegistry registry) {
    ModelMetadata metadata = metadata(job, model, spec, fit.history(), ModelFamily.NETWORK,
        Map.of(), lineage, ctx);
    ModelVersion v = publishedBefore(job, model, fit, metadata, registry)
        .orElseGet(() -> registry.publish(job, model, fit.network(), metadata));
    PausePoint.reach("train.published");
    TrainingHistory h = fit.history();
    return new JobOutcome(job, model, mode, true, v.version(), null, h.epochs().size(),
        h.bestEpoch(), fit.resumedFromEpoch(), h.samplesPerSecond(), h.wallSeconds());
  }

  /**
   * Publishes gradient-boosted trees as family GBT: their files, and their hyperparameters and
   * feature layout with {@code extra} (e.g. {@code bestRounds}) as the family's params.
   */
  public static JobOutcome publishTrees(String job, String model, ExecutionMode mode,
      GbtModel gbt, TrainingHistory history, Map<String, Object> extra, Lineage lineage,
      RunContext ctx, ModelRegistry registry) {
    ModelVersion v = registry.publish(job, model, metadata(job, model, null, history,
        ModelFamily.GBT, gbt.params(extra), lineage, ctx), gbt.toFiles());
    return new JobOutcome(job, model, mode, true, v.version(), null, history.epochs().size(),
        history.bestEpoch(), 0, history.samplesPerSecond(), history.wallSeconds());
  }

  private static ModelMetadata metadata(String job, String model, ModelSpec spec,
      TrainingHistory history, ModelFamily family, Map<String, Object> params, Lineage lineage,
      RunContext ctx) {
    return new ModelMetadata(ModelMetadata.SCHEMA_VERSION, job, model, spec, ctx.shape(),
        ctx.datasetFingerprint(), ctx.datasetPath(), ctx.features(), ctx.targets(),
        ctx.scalersOf(job), history, ctx.codeVersion(), Hardware.detect(),
        Instant.now().toString(), family, params, lineage);
  }

  /**
   * The version a stopped run published from this same finished checkpoint, if any. A run killed
   * after publishing but before deleting its checkpoint resumes a finished training, trains
   * nothing, and would otherwise publish the same network again as a second version. Only such a
   * resumed-and-finished fit is matched, against the latest version: same dataset, spec, lineage
   * and epoch history (read from the same checkpoint, so equal to the bit).
   */
  private static Optional<ModelVersion> publishedBefore(String job, String model,
      FitOutcome fit, ModelMetadata metadata, ModelRegistry registry) {
    List<Integer> versions = registry.versions(job, model);
    if (fit.resumedFromEpoch() == 0 || fit.resumedFromEpoch() < fit.history().epochs().size()
        || versions.isEmpty()) {
      return Optional.empty();
    }
    VersionRef latest = VersionRef.version(versions.get(versions.size() - 1));
    ModelMetadata m = registry.metadata(job, model, latest);
    boolean same = m.family() == ModelFamily.NETWORK
        && metadata.datasetFingerprint().equals(m.datasetFingerprint())
        && metadata.spec().equals(m.spec())
        && metadata.history().epochs().equals(m.history().epochs())
        && metadata.history().bestEpoch() == m.history().bestEpoch()
        && JSON.valueToTree(metadata.lineage()).equals(JSON.valueToTree(m.lineage()));
    if (!same) {
      return Optional.empty();
    }
    LOG.info("{}/{}: {} was published from this checkpoint by a run that stopped before "
        + "removing it; keeping it", job, model, latest);
    return Optional.of(registry.resolve(job, model, latest));
  }
}
