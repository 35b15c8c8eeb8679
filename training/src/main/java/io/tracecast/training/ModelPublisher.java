package io.tracecast.training;

import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochFitter;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.time.Instant;
import java.util.Map;

/** Publishes a finished training with the provenance the registry contract asks for. */
final class ModelPublisher {
  private ModelPublisher() {}

  /**
   * Runs the epoch loop (resuming from the task's checkpoint if one matches), publishes the
   * best network, and drops the checkpoint only once the version is in the registry.
   */
  static JobOutcome fitAndPublish(TrainingTask task, ModelSpec spec,
      EpochFitter fitter, RunContext ctx, ModelRegistry registry) {
    CheckpointStore checkpoints = new CheckpointStore(ctx.checkpointRoot(), task.job(),
        task.kind(), ctx.hadoop().get());
    FitOutcome fit = new EpochLoop(task.job(), spec, ctx.datasetFingerprint(), checkpoints,
        ctx.listener()).run(fitter);
    JobOutcome outcome = publish(task, spec, fit, ctx, registry);
    checkpoints.delete();
    return outcome;
  }

  static JobOutcome publish(TrainingTask task, ModelSpec spec, FitOutcome fit, RunContext ctx,
      ModelRegistry registry) {
    ModelMetadata metadata = new ModelMetadata(ModelMetadata.SCHEMA_VERSION, task.job(),
        task.kind().id(), spec, ctx.shape(), ctx.datasetFingerprint(), ctx.datasetPath(),
        ctx.features(), ctx.targets(), ctx.scalers().getOrDefault(task.job(), Map.of()),
        fit.history(), ctx.codeVersion(), Hardware.detect(), Instant.now().toString());
    ModelVersion v = registry.publish(task.job(), task.kind().id(), fit.network(), metadata);
    ModelMetadata.TrainingHistory h = fit.history();
    return new JobOutcome(task.job(), task.kind().id(), task.mode(), true, v.version(), null,
        h.epochs().size(), h.bestEpoch(), fit.resumedFromEpoch(), h.samplesPerSecond(),
        h.wallSeconds());
  }
}
