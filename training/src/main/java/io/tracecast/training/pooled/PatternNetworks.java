package io.tracecast.training.pooled;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.stage.DataParallelTraining;
import io.tracecast.training.stage.ModelPublisher;
import io.tracecast.training.stage.PackedTasks;
import io.tracecast.training.stage.UnitInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <kind>_pattern}: one network per usage pattern over the train (and validation) windows
 * of all its member jobs, published under each member job. The packed path of the per-job
 * networks with a pattern in place of a job: one Spark task per pattern gathers its members'
 * windows and fits locally; a pattern with at least data-parallel-min-windows train windows
 * trains data-parallel instead, like a large job ({@link ExecutionMode#forWindows}).
 */
final class PatternNetworks {
  private static final Logger LOG = LoggerFactory.getLogger(PatternNetworks.class);

  private PatternNetworks() {}

  /** One usage pattern's networks of every pooled kind: one packed task. */
  record PatternUnit(int pattern, List<String> members, Lineage.Pattern lineage,
      List<NetworkArchitecture> kinds) implements PackedTasks.Unit {
    @Override
    public String id() {
      return label(pattern);
    }

    @Override
    public List<String> jobs() {
      return members;
    }

    @Override
    public List<JobOutcome> failed(Throwable error) {
      List<JobOutcome> out = new ArrayList<>();
      for (NetworkArchitecture kind : kinds) {
        members.forEach(j -> out.add(JobOutcome.failed(j, model(kind), ExecutionMode.PACKED,
            error)));
      }
      return out;
    }
  }

  static List<JobOutcome> train(SparkSession spark, DatasetReader reader,
      Map<Integer, List<String>> members, HashMap<Integer, Lineage.Pattern> lineage,
      List<NetworkArchitecture> kinds, JobSelection selection, long dataParallelMinWindows,
      RunContext ctx, ModelRegistry registry) {
    HashMap<Integer, Long> trainWindows = new HashMap<>();
    members.forEach((p, jobs) -> trainWindows.put(p, selection.trainWindows(jobs)));
    // Largest first, as for jobs: Spark starts partitions in index order.
    List<Integer> packed = members.keySet().stream()
        .filter(p -> mode(trainWindows.get(p), dataParallelMinWindows) == ExecutionMode.PACKED)
        .sorted(Comparator.comparing(trainWindows::get).reversed()).toList();
    List<Integer> parallel = members.keySet().stream()
        .filter(p -> mode(trainWindows.get(p), dataParallelMinWindows)
            == ExecutionMode.DATA_PARALLEL).toList();
    LOG.info("pattern networks {}: {} patterns packed, {} data-parallel, train windows by "
        + "pattern {}", kinds.stream().map(PatternNetworks::model).toList(),
        packed.size(), parallel.size(), trainWindows);
    List<PatternUnit> units = packed.stream().map(p -> new PatternUnit(p, members.get(p),
        lineage.get(p), kinds)).toList();
    List<JobOutcome> out = new ArrayList<>(PackedTasks.run(spark, reader, "pattern networks",
        units, UnitInput.windows(), PatternNetworks::trainPattern, ctx, id -> { }));
    for (int p : parallel) {
      for (NetworkArchitecture kind : kinds) {
        out.addAll(dataParallel(spark, reader, p, members.get(p), lineage.get(p), kind,
            trainWindows.get(p), selection.validationWindows(members.get(p)) > 0, ctx,
            registry));
      }
    }
    return out;
  }

  private static ExecutionMode mode(long trainWindows, long dataParallelMinWindows) {
    return ExecutionMode.forWindows(trainWindows, dataParallelMinWindows);
  }

  private static List<JobOutcome> trainPattern(PatternUnit unit, JobWindows w, RunContext ctx,
      ModelRegistry registry) {
    List<JobOutcome> out = new ArrayList<>();
    for (NetworkArchitecture kind : unit.kinds()) {
      String model = model(kind);
      try {
        ModelSpec spec = ctx.spec(kind);
        LocalFitter fitter = new LocalFitter(kind.build(spec, ctx.shape(), 1), spec,
            ctx.shape(), w.trainInputs(), w.trainTargets(), w.validationInputs(),
            w.validationTargets());
        CheckpointStore checkpoints = ctx.checkpoints(
            RegistryLayout.patternCheckpoints(unit.pattern(), unit.members()), model);
        FitOutcome fit = ModelPublisher.fit(label(unit.pattern()), spec, checkpoints, fitter,
            ctx);
        out.addAll(publish(unit.members(), model, ExecutionMode.PACKED, spec, fit,
            unit.lineage(), ctx, registry));
        checkpoints.delete();
      } catch (Exception e) {
        LOG.error("{}/{} failed: {}", label(unit.pattern()), model, e.toString(), e);
        unit.members().forEach(j -> out.add(JobOutcome.failed(j, model, ExecutionMode.PACKED,
            e)));
      }
    }
    return out;
  }

  private static List<JobOutcome> dataParallel(SparkSession spark, DatasetReader reader,
      int pattern, List<String> jobs, Lineage.Pattern lineage, NetworkArchitecture kind,
      long trainWindows, boolean hasValidation, RunContext ctx, ModelRegistry registry) {
    String model = model(kind);
    try {
      ModelSpec spec = ctx.spec(kind);
      CheckpointStore checkpoints = ctx.checkpoints(
          RegistryLayout.patternCheckpoints(pattern, jobs), model);
      FitOutcome fit = DataParallelTraining.fit(spark, reader, jobs, label(pattern), spec,
          trainWindows, hasValidation, checkpoints, ctx);
      List<JobOutcome> out = publish(jobs, model, ExecutionMode.DATA_PARALLEL, spec, fit,
          lineage, ctx, registry);
      checkpoints.delete();
      return out;
    } catch (RuntimeException e) {
      LOG.error("{}/{} failed: {}", label(pattern), model, e.toString(), e);
      return jobs.stream().map(j -> JobOutcome.failed(j, model, ExecutionMode.DATA_PARALLEL, e))
          .toList();
    }
  }

  /** The pattern's network under each member job; one job's failed publish is its own. */
  private static List<JobOutcome> publish(List<String> jobs, String model, ExecutionMode mode,
      ModelSpec spec, FitOutcome fit, Lineage.Pattern lineage, RunContext ctx,
      ModelRegistry registry) {
    List<JobOutcome> out = new ArrayList<>();
    for (String job : jobs) {
      try {
        out.add(ModelPublisher.publish(job, model, mode, spec, fit,
            Lineage.NONE.withPattern(lineage), ctx, registry));
      } catch (RuntimeException e) {
        LOG.error("{}/{} publish failed: {}", job, model, e.toString(), e);
        out.add(JobOutcome.failed(job, model, mode, e));
      }
    }
    LOG.info("{} of pattern {}: best epoch {} of {}, published for {} jobs", model,
        lineage.pattern(), fit.history().bestEpoch(), fit.history().epochs().size(),
        out.stream().filter(JobOutcome::succeeded).count());
    return out;
  }

  /** The registry model name of {@code kind}'s pattern network, e.g. {@code mlp_pattern}. */
  static String model(NetworkArchitecture kind) {
    return new ModelKind(kind, Scope.PATTERN).id();
  }

  private static String label(int pattern) {
    return "pattern-" + pattern;
  }
}
