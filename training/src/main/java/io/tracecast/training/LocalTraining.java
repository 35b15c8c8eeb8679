package io.tracecast.training;

import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkBuilder;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.ModelRegistry;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

/** Trains one (job, kind) in this JVM and publishes it: the body of a packed Spark task. */
final class LocalTraining {
  private LocalTraining() {}

  static JobOutcome train(TrainingTask task, JobWindows data, RunContext ctx,
      ModelRegistry registry) {
    ModelSpec spec = ctx.spec(task.kind());
    // The configuration's seed fixes initialisation; ND4J's global RNG also feeds dropout.
    Nd4j.getRandom().setSeed(spec.training().seed());
    ComputationGraph net = NetworkBuilder.build(spec, ctx.shape());
    LocalFitter fitter = new LocalFitter(net, spec, ctx.shape(), data.trainInputs(),
        data.trainTargets(), data.validationInputs(), data.validationTargets());
    return ModelPublisher.fitAndPublish(task, spec, fitter, ctx, registry);
  }
}
