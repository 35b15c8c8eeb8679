package io.tracecast.training.pooled;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.config.PooledSettings;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.registry.VersionRef;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.stage.ModelPublisher;
import io.tracecast.training.stage.PackedTasks;
import io.tracecast.training.stage.UnitInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <kind>_tuned}: each job's pattern network ({@code <kind>_pattern} of this run, read back
 * from the registry) trained a few more epochs on the job's own windows at a lower learning rate,
 * with early stopping. Packed, one Spark task per job. The published network is the better of
 * the pattern network as is and the tuned one on the job's validation MAE, so a tuned model is
 * never worse on validation than where it started; its lineage says which it is.
 */
final class FineTuning {
  private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);

  private FineTuning() {}

  /**
   * A job's tuned kinds, one packed task.
   *
   * @param starts {@code job/<kind>_pattern} -> the version this run published, the start
   * @param specs each kind's fine-tuning spec
   */
  record TunedJob(String job, List<NetworkArchitecture> kinds, Map<String, Integer> starts,
      Map<NetworkArchitecture, ModelSpec> specs) implements PackedTasks.Unit {
    @Override
    public String id() {
      return job;
    }

    @Override
    public List<String> jobs() {
      return List.of(job);
    }

    @Override
    public List<JobOutcome> failed(Throwable error) {
      return kinds.stream().map(k -> JobOutcome.failed(job, tuned(k), ExecutionMode.PACKED,
          error)).toList();
    }
  }

  /**
   * @param jobs the jobs, largest first
   * @param patternOutcomes this run's outcomes; the published {@code <kind>_pattern} versions
   *     are the starting points
   */
  static List<JobOutcome> train(SparkSession spark, DatasetReader reader, List<String> jobs,
      List<NetworkArchitecture> kinds, List<JobOutcome> patternOutcomes, PooledSettings pooled,
      RunContext ctx) {
    HashMap<String, Integer> starts = new HashMap<>();
    for (JobOutcome o : patternOutcomes) {
      if (o.succeeded()) {
        starts.put(o.id(), o.version());
      }
    }
    HashMap<NetworkArchitecture, ModelSpec> specs = new HashMap<>();
    kinds.forEach(k -> specs.put(k, tunedSpec(ctx.spec(k), pooled)));
    List<TunedJob> units = jobs.stream().map(j -> new TunedJob(j, kinds, starts, specs))
        .toList();
    return PackedTasks.run(spark, reader, "fine-tuning", units, UnitInput.windows(),
        FineTuning::tune, ctx, id -> { });
  }

  /** The kind's spec for fine-tuning: fewer epochs at a constant, lower learning rate. */
  static ModelSpec tunedSpec(ModelSpec spec, PooledSettings pooled) {
    TrainingConfig t = spec.training();
    int epochs = pooled.fineTuneEpochs();
    return spec.withTraining(new TrainingConfig(t.learningRate() * pooled.fineTuneLrFactor(),
        TrainingConfig.Schedule.CONSTANT, 0, t.batchSize(), epochs,
        Math.min(t.patience(), epochs), t.stopMetric(), t.gradientClip(), t.seed()));
  }

  private static List<JobOutcome> tune(TunedJob unit, JobWindows w, RunContext ctx,
      ModelRegistry registry) {
    List<JobOutcome> out = new ArrayList<>();
    for (NetworkArchitecture kind : unit.kinds()) {
      try {
        out.add(tuneOne(unit.job(), kind, unit.starts(), w, unit.specs().get(kind), ctx,
            registry));
      } catch (Exception e) {
        LOG.error("{}/{} failed: {}", unit.job(), tuned(kind), e.toString(), e);
        out.add(JobOutcome.failed(unit.job(), tuned(kind), ExecutionMode.PACKED, e));
      }
    }
    return out;
  }

  private static JobOutcome tuneOne(String job, NetworkArchitecture kind,
      Map<String, Integer> starts, JobWindows w, ModelSpec spec, RunContext ctx,
      ModelRegistry registry) {
    String patternModel = PooledNetworks.model(kind, Scope.PATTERN);
    String model = tuned(kind);
    Integer startVersion = starts.get(job + "/" + patternModel);
    if (startVersion == null) {
      throw new IllegalStateException("no " + patternModel + " of " + job + " was published in "
          + "this run to start from");
    }
    LoadedModel start = registry.load(job, patternModel, VersionRef.version(startVersion));
    double startMae = new LocalFitter(start.network().clone(), spec, ctx.shape(),
        w.trainInputs(), w.trainTargets(), w.validationInputs(), w.validationTargets())
        .validate().mae();
    ComputationGraph net = start.network().clone();
    net.setLearningRate(spec.training().learningRate());
    NetworkArchitecture.seed(spec.training());
    LocalFitter fitter = new LocalFitter(net, spec, ctx.shape(), w.trainInputs(),
        w.trainTargets(), w.validationInputs(), w.validationTargets());
    CheckpointStore checkpoints = ctx.checkpoints(job,
        RegistryLayout.tunedCheckpoints(model, startVersion));
    FitOutcome tuned = ModelPublisher.fit(job, spec, checkpoints, fitter, ctx);
    ModelMetadata.TrainingHistory h = tuned.history();
    double tunedMae = h.epochs().get(h.bestEpoch() - 1).validationMae();
    // Without validation windows there is nothing to compare on: the tuned network stands.
    boolean keepStart = Double.isFinite(startMae) && !(tunedMae <= startMae);
    FitOutcome kept = keepStart
        ? new FitOutcome(start.network(), h, tuned.resumedFromEpoch()) : tuned;
    Lineage lineage = start.metadata().lineage().withFineTuned(new Lineage.FineTuned(
        new Lineage.Start(job, patternModel, startVersion), keepStart ? "pattern" : "tuned",
        finiteOrNull(startMae), finiteOrNull(tunedMae)));
    JobOutcome o = ModelPublisher.publish(job, model, ExecutionMode.PACKED, spec, kept, lineage,
        ctx, registry);
    checkpoints.delete();
    LOG.info("{}/{}: validation MAE {} as the pattern's network, {} tuned ({} epochs); kept the "
        + "{} as v{}", job, model, startMae, tunedMae, h.epochs().size(),
        keepStart ? "pattern's" : "tuned", o.version());
    return o;
  }

  /** The registry model name of {@code kind}'s tuned network, e.g. {@code mlp_tuned}. */
  static String tuned(NetworkArchitecture kind) {
    return new ModelKind(kind, Scope.TUNED).id();
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
