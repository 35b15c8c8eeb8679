package io.tracecast.training.stage;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.fit.PanelFitter;
import io.tracecast.training.gbt.GbtFeatures;
import io.tracecast.training.gbt.GbtFit;
import io.tracecast.training.gbt.GbtTrainer;
import io.tracecast.training.kind.InputForm;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.TrainingPlan;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.run.JobPanels;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.run.RunProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models trained per job ({@link io.tracecast.training.kind.Scope#JOB}), as planned: the
 * networks packed, one Spark task per (job, kind) (window kinds, then panel kinds), side by side
 * with the data-parallel jobs ({@link SchedulerPools}); then the trees, one packed task per job.
 * A failure in one (job, kind) is that outcome's; only a failure Spark itself gives up on (a JVM
 * error, a lost executor beyond retries) fails a whole stage's outcomes.
 */
public final class JobModels {
  private static final Logger LOG = LoggerFactory.getLogger(JobModels.class);
  static final String DATA_PARALLEL_GROUP_PREFIX = "tracecast-data-parallel-";

  private JobModels() {}

  /**
   * One (job, kind) as a packed unit.
   *
   * @param graph the job's graphs for a panel kind, null for a window kind
   */
  record JobUnit(TrainingTask task, Lineage.Graph graph) implements PackedTasks.Unit {
    @Override
    public String id() {
      return task.id();
    }

    @Override
    public List<String> jobs() {
      return List.of(task.job());
    }

    @Override
    public List<JobOutcome> failed(Throwable error) {
      return List.of(JobOutcome.failed(task, error));
    }
  }

  /** The planned networks: packed and data-parallel side by side. */
  public static List<JobOutcome> networks(SparkSession spark, DatasetReader reader,
      TrainingPlan plan, RunContext ctx, ModelRegistry registry, RunProgress progress) {
    List<TrainingTask> packed = plan.tasks(t -> isNetwork(t.kind())
        && t.mode() == ExecutionMode.PACKED);
    List<TrainingTask> parallel = plan.tasks(t -> isNetwork(t.kind())
        && t.mode() == ExecutionMode.DATA_PARALLEL);
    return SchedulerPools.sideBySide(spark.sparkContext(),
        () -> packedNetworks(spark, reader, packed, ctx, progress),
        () -> dataParallel(spark, reader, parallel, ctx, registry, progress));
  }

  /** The planned per-job trees of {@code kind}, one packed task per job. */
  public static List<JobOutcome> trees(SparkSession spark, DatasetReader reader,
      TrainingPlan plan, ModelKind kind, RunContext ctx, RunProgress progress) {
    List<JobUnit> units = plan.tasks(t -> t.kind().equals(kind)).stream()
        .map(t -> new JobUnit(t, null)).toList();
    return stage(spark, reader, kind.id() + " per job", units, UnitInput.windows(),
        JobModels::trees, ctx, progress);
  }

  private static boolean isNetwork(ModelKind kind) {
    return kind.family() == ModelFamily.NETWORK;
  }

  private static List<JobOutcome> packedNetworks(SparkSession spark, DatasetReader reader,
      List<TrainingTask> tasks, RunContext ctx, RunProgress progress) {
    List<JobUnit> windows = new ArrayList<>();
    List<JobUnit> panels = new ArrayList<>();
    for (TrainingTask t : tasks) {
      if (t.kind().input() == InputForm.PANEL) {
        panels.add(new JobUnit(t, graphs(reader.manifest(), t.job())));
      } else {
        windows.add(new JobUnit(t, null));
      }
    }
    List<JobOutcome> out = new ArrayList<>(stage(spark, reader, "packed networks", windows,
        UnitInput.windows(), JobModels::windowNetwork, ctx, progress));
    out.addAll(stage(spark, reader, "packed graph networks", panels, UnitInput.panels(),
        JobModels::panelNetwork, ctx, progress));
    return out;
  }

  /** A packed stage; a failure Spark gives up on fails all its units. */
  private static <R extends java.io.Serializable, D> List<JobOutcome> stage(SparkSession spark,
      DatasetReader reader, String label, List<JobUnit> units, UnitInput<R, D> input,
      PackedTasks.Body<JobUnit, D> body, RunContext ctx, RunProgress progress) {
    try {
      return PackedTasks.run(spark, reader, label, units, input, body, ctx, progress::done);
    } catch (RuntimeException e) {
      // A task failing its retries, lost executors: errors inside a task's training are
      // already outcomes.
      LOG.error("{} stage failed: {}", label, e.toString(), e);
      units.forEach(u -> progress.done(u.id()));
      return units.stream().flatMap(u -> u.failed(e).stream()).toList();
    }
  }

  private static List<JobOutcome> windowNetwork(JobUnit unit, JobWindows w, RunContext ctx,
      ModelRegistry registry) {
    ModelSpec spec = ctx.spec(unit.task().kind().network());
    LocalFitter fitter = new LocalFitter(spec.kind().build(spec, ctx.shape(), 1), spec,
        ctx.shape(), w.trainInputs(), w.trainTargets(), w.validationInputs(),
        w.validationTargets());
    return List.of(ModelPublisher.fitAndPublish(unit.task(), spec, fitter, Lineage.NONE, ctx,
        registry));
  }

  private static List<JobOutcome> panelNetwork(JobUnit unit, JobPanels p, RunContext ctx,
      ModelRegistry registry) {
    ModelSpec spec = ctx.spec(unit.task().kind().network());
    int nodes = unit.graph().nodes();
    PanelFitter fitter = new PanelFitter(spec.kind().build(spec, ctx.shape(), nodes), spec,
        ctx.shape(), nodes, p.train(), p.validation());
    return List.of(ModelPublisher.fitAndPublish(unit.task(), spec, fitter,
        Lineage.NONE.withGraph(unit.graph()), ctx, registry));
  }

  private static List<JobOutcome> trees(JobUnit unit, JobWindows w, RunContext ctx,
      ModelRegistry registry) {
    TrainingTask t = unit.task();
    GbtFit fit = GbtTrainer.fit(ctx.gbt(), GbtFeatures.of(ctx.gbt(), ctx.shape().lookback(),
        ctx.features(), ctx.shape().horizon()), ctx.rollout(), w.trainInputs(), w.trainTargets(),
        w.validationInputs(), w.validationTargets(), ctx.threadsPerTask());
    JobOutcome o = ModelPublisher.publishTrees(t.job(), t.kind().id(), ExecutionMode.PACKED,
        fit.model(), fit.history(), Map.of("bestRounds", fit.bestRounds()), Lineage.NONE, ctx,
        registry);
    LOG.info("{}: published v{}, {} rounds (best {}), validation {} {}, {} s", t.id(),
        o.version(), o.epochs(), o.bestEpoch(), ctx.gbt().evalMetric(),
        fit.history().epochs().get(o.bestEpoch() - 1).validationLoss(), o.wallSeconds());
    return List.of(o);
  }

  /** The job's graphs and their nodes in tensor order, and the network's node count. */
  static Lineage.Graph graphs(Manifest m, String job) {
    Map<String, List<String>> graphs = new LinkedHashMap<>();
    int nodes = 0;
    for (Manifest.Graph g : m.graphsOf(job)) {
      graphs.put(g.graphId(), g.nodes());
      nodes = Math.max(nodes, g.nodeCount());
    }
    return new Lineage.Graph(nodes, graphs);
  }

  /** The data-parallel jobs, one at a time: each uses every slot its scheduler pool gets. */
  private static List<JobOutcome> dataParallel(SparkSession spark, DatasetReader reader,
      List<TrainingTask> tasks, RunContext ctx, ModelRegistry registry, RunProgress progress) {
    List<JobOutcome> out = new ArrayList<>();
    SparkContext sc = spark.sparkContext();
    for (TrainingTask task : tasks) {
      // A job group per network (thread-local, like the packed stage's): the Spark UI and
      // listeners tell its many averaging jobs from the packed tasks running meanwhile.
      sc.setJobGroup(DATA_PARALLEL_GROUP_PREFIX + task.id(), "tracecast data-parallel "
          + task.id(), false);
      try {
        out.add(DataParallelTraining.train(spark, reader, task, ctx, registry));
      } catch (RuntimeException e) {
        LOG.error("{} failed: {}", task.id(), e.toString(), e);
        out.add(JobOutcome.failed(task, e));
      } finally {
        sc.clearJobGroup();
      }
      progress.done(task.id());
    }
    return out;
  }
}
