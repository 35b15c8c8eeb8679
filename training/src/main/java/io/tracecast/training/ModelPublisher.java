package io.tracecast.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.PausePoint;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochFitter;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes a finished training with the provenance the registry contract asks for. */
final class ModelPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);
  /** Compares lineage parameters as JSON gives them back (numbers by value). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelPublisher() {}

  /**
   * Runs the epoch loop (resuming from the task's checkpoint if one matches), publishes the
   * best network, and drops the checkpoint only once the version is in the registry.
   */
  static JobOutcome fitAndPublish(TrainingTask task, ModelSpec spec,
      EpochFitter fitter, RunContext ctx, ModelRegistry registry) {
    return fitAndPublish(task, spec, fitter, Map.of(), ctx, registry);
  }

  /** As above, with lineage {@code params} in the version's metadata (JSON-shaped). */
  static JobOutcome fitAndPublish(TrainingTask task, ModelSpec spec, EpochFitter fitter,
      Map<String, Object> params, RunContext ctx, ModelRegistry registry) {
    CheckpointStore checkpoints = checkpoints(ctx, task.job(), task.kind().id());
    FitOutcome fit = fit(task.job(), spec, checkpoints, fitter, ctx);
    JobOutcome outcome = publish(task.job(), task.kind().id(), task.mode(), spec, fit, params,
        ctx, registry);
    checkpoints.delete();
    return outcome;
  }

  /** The run's checkpoints of {@code job/model} ({@code job} may name a pattern). */
  static CheckpointStore checkpoints(RunContext ctx, String job, String model) {
    return new CheckpointStore(ctx.checkpointRoot(), job, model, ctx.hadoop().get());
  }

  /**
   * The epoch loop, resuming from {@code checkpoints} when they match; {@code label} names the
   * job (or pattern) in logs. Delete the checkpoints once the result is published.
   */
  static FitOutcome fit(String label, ModelSpec spec, CheckpointStore checkpoints,
      EpochFitter fitter, RunContext ctx) {
    return new EpochLoop(label, spec, ctx.datasetFingerprint(), checkpoints, ctx.listener())
        .run(fitter);
  }

  static JobOutcome publish(TrainingTask task, ModelSpec spec, FitOutcome fit, RunContext ctx,
      ModelRegistry registry) {
    return publish(task.job(), task.kind().id(), task.mode(), spec, fit, Map.of(), ctx,
        registry);
  }

  /**
   * Publishes a network under {@code job/model} (also a pooled one, under each of its jobs),
   * with lineage {@code params} (JSON-shaped; empty for a plain per-job network).
   */
  static JobOutcome publish(String job, String model, ExecutionMode mode, ModelSpec spec,
      FitOutcome fit, Map<String, Object> params, RunContext ctx, ModelRegistry registry) {
    ModelMetadata metadata = new ModelMetadata(ModelMetadata.SCHEMA_VERSION, job, model, spec,
        ctx.shape(), ctx.datasetFingerprint(), ctx.datasetPath(), ctx.features(), ctx.targets(),
        ctx.scalers().getOrDefault(job, Map.of()), fit.history(), ctx.codeVersion(),
        Hardware.detect(), Instant.now().toString(), ModelFamily.NETWORK, params);
    ModelVersion v = publishedBefore(job, model, fit, metadata, registry)
        .orElseGet(() -> registry.publish(job, model, fit.network(), metadata));
    PausePoint.reach("train.published");
    ModelMetadata.TrainingHistory h = fit.history();
    return new JobOutcome(job, model, mode, true, v.version(), null, h.epochs().size(),
        h.bestEpoch(), fit.resumedFromEpoch(), h.samplesPerSecond(), h.wallSeconds());
  }

  /**
   * The version a stopped run published from this same finished checkpoint, if any. A run killed
   * after publishing but before deleting its checkpoint resumes a finished training, trains
   * nothing, and would otherwise publish the same network again as a second version. Only such a
   * resumed-and-finished fit is matched, against the latest version: same dataset, spec, lineage
   * parameters and epoch history (read from the same checkpoint, so equal to the bit).
   */
  private static Optional<ModelVersion> publishedBefore(String job, String model,
      FitOutcome fit, ModelMetadata metadata, ModelRegistry registry) {
    List<Integer> versions = registry.versions(job, model);
    if (fit.resumedFromEpoch() == 0 || fit.resumedFromEpoch() < fit.history().epochs().size()
        || versions.isEmpty()) {
      return Optional.empty();
    }
    String latest = "v" + versions.get(versions.size() - 1);
    ModelMetadata m = registry.metadata(job, model, latest);
    boolean same = m.family() == ModelFamily.NETWORK
        && metadata.datasetFingerprint().equals(m.datasetFingerprint())
        && metadata.spec().equals(m.spec())
        && metadata.history().epochs().equals(m.history().epochs())
        && metadata.history().bestEpoch() == m.history().bestEpoch()
        && JSON.valueToTree(metadata.params()).equals(JSON.valueToTree(m.params()));
    if (!same) {
      return Optional.empty();
    }
    LOG.info("{}/{}: {} was published from this checkpoint by a run that stopped before "
        + "removing it; keeping it", job, model, latest);
    return Optional.of(registry.resolve(job, model, latest));
  }
}
