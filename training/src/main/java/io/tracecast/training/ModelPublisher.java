package io.tracecast.training;

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

  static JobOutcome publish(TrainingTask task, ModelSpec spec, FitOutcome fit, RunContext ctx,
      ModelRegistry registry) {
    ModelMetadata metadata = new ModelMetadata(ModelMetadata.SCHEMA_VERSION, task.job(),
        task.kind().id(), spec, ctx.shape(), ctx.datasetFingerprint(), ctx.datasetPath(),
        ctx.features(), ctx.targets(), ctx.scalers().getOrDefault(task.job(), Map.of()),
        fit.history(), ctx.codeVersion(), Hardware.detect(), Instant.now().toString());
    ModelVersion v = registry.publish(task.job(), task.kind().id(), fit.network(), metadata);
    ModelMetadata.TrainingHistory h = fit.history();
    return new JobOutcome(task.job(), task.kind(), task.mode(), true, v.version(), null,
        h.epochs().size(), h.bestEpoch(), fit.resumedFromEpoch(), h.samplesPerSecond(),
        h.wallSeconds());
  }
}
