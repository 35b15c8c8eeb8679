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
 * The fine-tuned scopes: {@code <kind>_tuned} starts from each job's pattern network
 * ({@code <kind>_pattern} of this run, read back from the registry), {@code <kind>_global_tuned}
 * from the run's global network ({@code <kind>_global}); either is trained a few more epochs on
 * the job's own windows at a lower learning rate, with early stopping. Packed, one Spark task per
 * job. The published network is the better of the start as is and the tuned one on the job's
 * validation MAE, so a tuned model is never worse on validation than where it started; its
 * lineage says which it is.
 */
final class FineTuning {
  private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);

  private FineTuning() {}

  /**
   * A job's tuned kinds, one packed task.
   *
   * @param scope the fine-tuned scope ({@link Scope#TUNED} or {@link Scope#GLOBAL_TUNED})
   * @param starts {@code job/<kind><start suffix>} -> the version this run published, the start
   * @param specs each kind's fine-tuning spec
   */
  record TunedJob(String job, Scope scope, List<NetworkArchitecture> kinds,
      Map<String, Integer> starts, Map<NetworkArchitecture, ModelSpec> specs)
      implements PackedTasks.Unit {
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
      return kinds.stream().map(k -> JobOutcome.failed(job, tuned(k, scope),
          ExecutionMode.PACKED, error)).toList();
    }
  }

  /**
   * @param jobs the jobs, largest first
   * @param scope the fine-tuned scope ({@link Scope#TUNED} or {@link Scope#GLOBAL_TUNED})
   * @param startOutcomes this run's outcomes; the published versions of the scope's start
   *     ({@code <kind>_pattern} or {@code <kind>_global}) are the starting points
   */
  static List<JobOutcome> train(SparkSession spark, DatasetReader reader, List<String> jobs,
      Scope scope, List<NetworkArchitecture> kinds, List<JobOutcome> startOutcomes,
      PooledSettings pooled, RunContext ctx) {
    if (scope.fineTunedFrom() == null) {
      throw new IllegalArgumentException(scope.label() + " is not a fine-tuned scope");
    }
    HashMap<String, Integer> starts = new HashMap<>();
    for (JobOutcome o : startOutcomes) {
      if (o.succeeded()) {
        starts.put(o.id(), o.version());
      }
    }
    HashMap<NetworkArchitecture, ModelSpec> specs = new HashMap<>();
    kinds.forEach(k -> specs.put(k, tunedSpec(ctx.spec(k), pooled)));
    List<TunedJob> units = jobs.stream().map(j -> new TunedJob(j, scope, kinds, starts, specs))
        .toList();
    return PackedTasks.run(spark, reader, "fine-tuning-" + scope.fineTunedFrom().label(), units,
        UnitInput.windows(),
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
        out.add(tuneOne(unit.job(), unit.scope(), kind, unit.starts(), w,
            unit.specs().get(kind), ctx, registry));
      } catch (Exception e) {
        LOG.error("{}/{} failed: {}", unit.job(), tuned(kind, unit.scope()), e.toString(), e);
        out.add(JobOutcome.failed(unit.job(), tuned(kind, unit.scope()), ExecutionMode.PACKED,
            e));
      }
    }
    return out;
  }

  private static JobOutcome tuneOne(String job, Scope scope, NetworkArchitecture kind,
      Map<String, Integer> starts, JobWindows w, ModelSpec spec, RunContext ctx,
      ModelRegistry registry) {
    Scope from = scope.fineTunedFrom();
    String startModel = PooledNetworks.model(kind, from);
    String model = tuned(kind, scope);
    Integer startVersion = starts.get(job + "/" + startModel);
    if (startVersion == null) {
      throw new IllegalStateException("no " + startModel + " of " + job + " was published in "
          + "this run to start from");
    }
    LoadedModel start = registry.load(job, startModel, VersionRef.version(startVersion));
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
        new Lineage.Start(job, startModel, startVersion), keepStart ? from.label() : "tuned",
        finiteOrNull(startMae), finiteOrNull(tunedMae)));
    JobOutcome o = ModelPublisher.publish(job, model, ExecutionMode.PACKED, spec, kept, lineage,
        ctx, registry);
    checkpoints.delete();
    LOG.info("{}/{}: validation MAE {} as the {} network, {} tuned ({} epochs); kept the {} as "
        + "v{}", job, model, startMae, from.label(), tunedMae, h.epochs().size(),
        keepStart ? from.label() : "tuned", o.version());
    return o;
  }

  /** The registry model name of a tuned network, e.g. {@code mlp_tuned}, {@code mlp_global_tuned}. */
  static String tuned(NetworkArchitecture kind, Scope scope) {
    return new ModelKind(kind, scope).id();
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
