package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkBuilder;
import io.tracecast.training.pattern.PooledKind;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code <kind>_pattern}: one network per usage pattern over the train (and validation) windows
 * of all its member jobs, published under each member job. The packed path of the per-job
 * networks with a pattern in place of a job: one Spark task per pattern gathers its members'
 * windows and fits locally; a pattern with at least data-parallel-min-windows train windows
 * trains data-parallel instead, like a large job.
 */
final class PatternNetworks {
  private static final Logger LOG = LoggerFactory.getLogger(PatternNetworks.class);

  private PatternNetworks() {}

  static List<JobOutcome> train(SparkSession spark, DatasetReader reader,
      Map<Integer, List<String>> members, HashMap<Integer, Map<String, Object>> lineage,
      List<ModelKind> kinds, JobSelection selection, long dataParallelMinWindows,
      RunContext ctx, ModelRegistry registry) {
    HashMap<Integer, Long> trainWindows = new HashMap<>();
    HashMap<Integer, Long> validationWindows = new HashMap<>();
    members.forEach((p, jobs) -> {
      trainWindows.put(p, jobs.stream().mapToLong(j -> selection.trainWindows().get(j)).sum());
      validationWindows.put(p, jobs.stream()
          .mapToLong(j -> selection.validationWindows().getOrDefault(j, 0L)).sum());
    });
    // Largest first, as for jobs: Spark starts partitions in index order.
    List<Integer> packed = members.keySet().stream()
        .filter(p -> trainWindows.get(p) < dataParallelMinWindows)
        .sorted(Comparator.comparing(trainWindows::get).reversed()).toList();
    List<Integer> parallel = members.keySet().stream()
        .filter(p -> trainWindows.get(p) >= dataParallelMinWindows).toList();
    LOG.info("pattern networks {}: {} patterns packed, {} data-parallel, train windows by "
        + "pattern {}", kinds.stream().map(PooledKind.PATTERN::modelName).toList(),
        packed.size(), parallel.size(), trainWindows);
    List<JobOutcome> out = new ArrayList<>(packed(spark, reader, packed, members, lineage,
        kinds, ctx));
    for (int p : parallel) {
      for (ModelKind kind : kinds) {
        out.addAll(dataParallel(spark, reader, p, members.get(p), lineage.get(p), kind,
            trainWindows.get(p), validationWindows.get(p) > 0, ctx, registry));
      }
    }
    return out;
  }

  private static List<JobOutcome> packed(SparkSession spark, DatasetReader reader,
      List<Integer> patterns, Map<Integer, List<String>> members,
      HashMap<Integer, Map<String, Object>> lineage, List<ModelKind> kinds, RunContext ctx) {
    if (patterns.isEmpty()) {
      return List.of();
    }
    List<String> jobs = new ArrayList<>();
    HashMap<String, Integer> slotOf = new HashMap<>();
    HashMap<Integer, Integer> patternOf = new HashMap<>();
    HashMap<Integer, List<String>> membersOf = new HashMap<>();
    for (int slot = 0; slot < patterns.size(); slot++) {
      int p = patterns.get(slot);
      patternOf.put(slot, p);
      membersOf.put(p, new ArrayList<>(members.get(p)));
      for (String job : members.get(p)) {
        jobs.add(job);
        slotOf.put(job, slot);
      }
    }
    List<JobOutcome> out;
    try (PackedStage stage = PackedStage.start(spark.sparkContext(), "pattern networks",
        patterns.size())) {
      out = new ArrayList<>(stage.mark(PackedTraining.windowsBySlot(spark, reader, jobs, slotOf,
              patterns.size())
          .mapPartitions(it -> trainPattern(it, patternOf, membersOf, lineage, kinds, ctx)))
          .collect());
    }
    return out;
  }

  private static Iterator<JobOutcome> trainPattern(Iterator<Tuple2<Integer, WindowRow>> rows,
      Map<Integer, Integer> patternOf, Map<Integer, List<String>> membersOf,
      Map<Integer, Map<String, Object>> lineage, List<ModelKind> kinds, RunContext ctx) {
    PackedTraining.SlotPartition partition = PackedTraining.drainSlot(rows);
    if (partition == null) {
      return List.<JobOutcome>of().iterator();
    }
    int pattern = patternOf.get(partition.slot());
    ctx.limitNativeThreads();
    JobWindows w = partition.windows();
    ModelRegistry registry = ModelRegistry.open(ctx.registryRoot(), ctx.hadoop().get());
    List<JobOutcome> out = new ArrayList<>();
    for (ModelKind kind : kinds) {
      String model = PooledKind.PATTERN.modelName(kind);
      List<String> jobs = membersOf.get(pattern);
      try {
        ModelSpec spec = ctx.spec(kind);
        Nd4j.getRandom().setSeed(spec.training().seed());
        ComputationGraph net = NetworkBuilder.build(spec, ctx.shape());
        LocalFitter fitter = new LocalFitter(net, spec, ctx.shape(), w.trainInputs(),
            w.trainTargets(), w.validationInputs(), w.validationTargets());
        CheckpointStore checkpoints = ModelPublisher.checkpoints(ctx,
            checkpointName(pattern, jobs), model);
        FitOutcome fit = ModelPublisher.fit(label(pattern), spec, checkpoints, fitter, ctx);
        out.addAll(publish(jobs, model, ExecutionMode.PACKED, spec, fit, lineage.get(pattern),
            ctx, registry));
        checkpoints.delete();
      } catch (Exception e) {
        LOG.error("{}/{} failed: {}", label(pattern), model, e.toString(), e);
        jobs.forEach(j -> out.add(JobOutcome.failed(j, model, ExecutionMode.PACKED, e)));
      }
    }
    return out.iterator();
  }

  private static List<JobOutcome> dataParallel(SparkSession spark, DatasetReader reader,
      int pattern, List<String> jobs, Map<String, Object> lineage, ModelKind kind,
      long trainWindows, boolean hasValidation, RunContext ctx, ModelRegistry registry) {
    String model = PooledKind.PATTERN.modelName(kind);
    try {
      ModelSpec spec = ctx.spec(kind);
      CheckpointStore checkpoints = ModelPublisher.checkpoints(ctx,
          checkpointName(pattern, jobs), model);
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
      ModelSpec spec, FitOutcome fit, Map<String, Object> lineage, RunContext ctx,
      ModelRegistry registry) {
    List<JobOutcome> out = new ArrayList<>();
    for (String job : jobs) {
      try {
        out.add(ModelPublisher.publish(job, model, mode, spec, fit, lineage, ctx, registry));
      } catch (RuntimeException e) {
        LOG.error("{}/{} publish failed: {}", job, model, e.toString(), e);
        out.add(JobOutcome.failed(job, model, mode, e));
      }
    }
    LOG.info("{} of pattern {}: best epoch {} of {}, published for {} jobs", model,
        lineage.get("pattern"), fit.history().bestEpoch(), fit.history().epochs().size(),
        out.stream().filter(JobOutcome::succeeded).count());
    return out;
  }

  /**
   * The checkpoint directory's "job" of a pattern: no trace names its jobs with a leading "_"
   * (the dataset's job ids are machine, VM or collection ids). The members' hash is in it
   * because a checkpoint is resumed on the same dataset and spec, and a rerun with other
   * pattern settings may give the same index other members.
   */
  private static String checkpointName(int pattern, List<String> members) {
    return "_pattern-" + pattern + "-" + Integer.toHexString(members.hashCode());
  }

  private static String label(int pattern) {
    return "pattern-" + pattern;
  }
}
