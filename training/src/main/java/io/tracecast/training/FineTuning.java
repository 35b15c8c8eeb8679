package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.config.PooledSettings;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.TrainingConfig;
import io.tracecast.training.pattern.PooledKind;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code <kind>_tuned}: each job's pattern network ({@code <kind>_pattern} of this run, read back
 * from the registry) trained a few more epochs on the job's own windows at a lower learning rate,
 * with early stopping. Packed, one Spark task per job. The published network is the better of
 * the pattern network as is and the tuned one on the job's validation MAE, so a tuned model is
 * never worse on validation than where it started; {@code params.kept} says which it is.
 */
final class FineTuning {
  private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);

  private FineTuning() {}

  /**
   * @param patternOutcomes this run's outcomes; the published {@code <kind>_pattern} versions
   *     are the starting points
   */
  static List<JobOutcome> train(SparkSession spark, DatasetReader reader, List<String> jobs,
      List<ModelKind> kinds, List<JobOutcome> patternOutcomes, PooledSettings pooled,
      RunContext ctx) {
    HashMap<String, Integer> startVersions = new HashMap<>();
    for (JobOutcome o : patternOutcomes) {
      if (o.succeeded()) {
        startVersions.put(o.id(), o.version());
      }
    }
    // Specs on the driver: the settings records are not shipped to executors.
    HashMap<ModelKind, ModelSpec> specs = new HashMap<>();
    kinds.forEach(k -> specs.put(k, tunedSpec(ctx.spec(k), pooled)));
    List<JobOutcome> out;
    try (PackedStage stage = PackedStage.start(spark.sparkContext(), "fine-tuning",
        jobs.size())) {
      out = new ArrayList<>(stage.mark(PackedTraining.windowsByJob(spark, reader, jobs)
          .mapPartitions(it -> tune(it, jobs, kinds, startVersions, specs, ctx)))
          .collect());
    }
    return out;
  }

  /** The kind's spec for fine-tuning: fewer epochs at a constant, lower learning rate. */
  static ModelSpec tunedSpec(ModelSpec spec, PooledSettings pooled) {
    TrainingConfig t = spec.training();
    int epochs = pooled.fineTuneEpochs();
    return spec.withTraining(new TrainingConfig(t.learningRate() * pooled.fineTuneLrFactor(),
        TrainingConfig.Schedule.CONSTANT, 0, t.batchSize(), epochs,
        Math.min(t.patience(), epochs), t.stopMetric(), t.gradientClip(), t.seed()));
  }

  private static Iterator<JobOutcome> tune(Iterator<Tuple2<Integer, WindowRow>> rows,
      List<String> jobs, List<ModelKind> kinds, Map<String, Integer> startVersions,
      Map<ModelKind, ModelSpec> specs, RunContext ctx) {
    PackedTraining.JobPartition partition = PackedTraining.drain(rows, jobs);
    if (partition == null) {
      return List.<JobOutcome>of().iterator();
    }
    ctx.limitNativeThreads();
    ModelRegistry registry = ModelRegistry.open(ctx.registryRoot(), ctx.hadoop().get());
    List<JobOutcome> out = new ArrayList<>();
    String job = partition.job();
    for (ModelKind kind : kinds) {
      String model = PooledKind.TUNED.modelName(kind);
      try {
        out.add(tuneOne(job, kind, startVersions, partition.windows(), specs.get(kind), ctx,
            registry));
      } catch (Exception e) {
        LOG.error("{}/{} failed: {}", job, model, e.toString(), e);
        out.add(JobOutcome.failed(job, model, ExecutionMode.PACKED, e));
      }
    }
    return out.iterator();
  }

  private static JobOutcome tuneOne(String job, ModelKind kind, Map<String, Integer> starts,
      JobWindows w, ModelSpec spec, RunContext ctx, ModelRegistry registry) {
    String patternModel = PooledKind.PATTERN.modelName(kind);
    String model = PooledKind.TUNED.modelName(kind);
    Integer startVersion = starts.get(job + "/" + patternModel);
    if (startVersion == null) {
      throw new IllegalStateException("no " + patternModel + " of " + job + " was published in "
          + "this run to start from");
    }
    LoadedModel start = registry.load(job, patternModel, "v" + startVersion);
    double startMae = new LocalFitter(start.network().clone(), spec, ctx.shape(),
        w.trainInputs(), w.trainTargets(), w.validationInputs(), w.validationTargets())
        .validate().mae();
    ComputationGraph net = start.network().clone();
    net.setLearningRate(spec.training().learningRate());
    Nd4j.getRandom().setSeed(spec.training().seed());
    LocalFitter fitter = new LocalFitter(net, spec, ctx.shape(), w.trainInputs(),
        w.trainTargets(), w.validationInputs(), w.validationTargets());
    // The start version in the name: a checkpoint resumes on the same dataset and spec, and a
    // rerun starts from another pattern network.
    CheckpointStore checkpoints = ModelPublisher.checkpoints(ctx, job,
        model + "-from-v" + startVersion);
    FitOutcome tuned = ModelPublisher.fit(job, spec, checkpoints, fitter, ctx);
    ModelMetadata.TrainingHistory h = tuned.history();
    double tunedMae = h.epochs().get(h.bestEpoch() - 1).validationMae();
    // Without validation windows there is nothing to compare on: the tuned network stands.
    boolean keepStart = Double.isFinite(startMae) && !(tunedMae <= startMae);
    FitOutcome kept = keepStart
        ? new FitOutcome(start.network(), h, tuned.resumedFromEpoch()) : tuned;
    Map<String, Object> params = new LinkedHashMap<>(start.metadata().params());
    Map<String, Object> from = new LinkedHashMap<>();
    from.put("job", job);
    from.put("model", patternModel);
    from.put("version", startVersion);
    params.put("startedFrom", from);
    params.put("kept", keepStart ? "pattern" : "tuned");
    params.put("patternValidationMae", finiteOrNull(startMae));
    params.put("tunedValidationMae", finiteOrNull(tunedMae));
    JobOutcome o = ModelPublisher.publish(job, model, ExecutionMode.PACKED, spec, kept, params,
        ctx, registry);
    checkpoints.delete();
    LOG.info("{}/{}: validation MAE {} as the pattern's network, {} tuned ({} epochs); kept the "
        + "{} as v{}", job, model, startMae, tunedMae, h.epochs().size(),
        keepStart ? "pattern's" : "tuned", o.version());
    return o;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
