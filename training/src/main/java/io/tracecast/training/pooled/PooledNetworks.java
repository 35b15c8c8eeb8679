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
import io.tracecast.training.plan.DataParallelRule;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.stage.DataParallelTraining;
import io.tracecast.training.stage.ModelPublisher;
import io.tracecast.training.stage.PackedTasks;
import io.tracecast.training.stage.UnitInput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Networks pooled over several jobs, published under each of them: {@code <kind>_pattern} (one
 * network per usage pattern over its member jobs) and {@code <kind>_global} (one network over
 * every job of the run; the window normalisation makes the series scale-free, so one network can
 * learn from all of them). The packed path of the per-job networks with a pool in place of a
 * job: one Spark task per pool and kind gathers its members' windows and fits locally; a pool
 * with at least data-parallel-min-windows train windows trains data-parallel instead where
 * {@link DataParallelRule#alone} says so, like a large job.
 */
final class PooledNetworks {
  private static final Logger LOG = LoggerFactory.getLogger(PooledNetworks.class);

  private PooledNetworks() {}

  /**
   * The jobs one pooled network is trained over and published under.
   *
   * @param label names the pool in logs and task ids ({@code pattern-2}, {@code global})
   * @param checkpoints the checkpoint name of the pool's fits (stable across reruns of the
   *     same pool, different for different member lists)
   * @param lineage what every version of the pool records (its pattern; the pooled-over jobs)
   */
  record Pool(String label, List<String> members, String checkpoints, Lineage lineage)
      implements Serializable {
    Pool {
      if (members.isEmpty()) {
        throw new IllegalArgumentException("pool " + label + " has no member job");
      }
      members = List.copyOf(members); // an immutable list Spark can serialise
    }
  }

  /**
   * One pool's network of one kind: one packed task, so the kinds of a pool train side by side
   * on different slots, as a job's kinds do.
   */
  record PoolUnit(Pool pool, Scope scope, List<NetworkArchitecture> kinds)
      implements PackedTasks.Unit {
    @Override
    public String id() {
      return pool.label() + "/" + kinds.stream().map(NetworkArchitecture::id)
          .collect(java.util.stream.Collectors.joining(","));
    }

    @Override
    public List<String> jobs() {
      return pool.members();
    }

    @Override
    public List<JobOutcome> failed(Throwable error) {
      List<JobOutcome> out = new ArrayList<>();
      for (NetworkArchitecture kind : kinds) {
        pool.members().forEach(j -> out.add(JobOutcome.failed(j, model(kind, scope),
            ExecutionMode.PACKED, error)));
      }
      return out;
    }
  }

  /** Trains {@code kinds} in {@code scope} over each pool; failures become outcomes. */
  static List<JobOutcome> train(SparkSession spark, DatasetReader reader, List<Pool> pools,
      Scope scope, List<NetworkArchitecture> kinds, JobSelection selection,
      DataParallelRule rule, RunContext ctx, ModelRegistry registry) {
    // Largest first, as for jobs: Spark starts partitions in index order.
    Map<Pool, Long> windows = new HashMap<>();
    pools.forEach(p -> windows.put(p, selection.trainWindows(p.members())));
    List<Pool> bySize = pools.stream().sorted(Comparator.comparing(windows::get).reversed())
        .toList();
    List<Pool> packed = bySize.stream()
        .filter(p -> rule.alone(windows.get(p)) == ExecutionMode.PACKED).toList();
    List<Pool> parallel = bySize.stream()
        .filter(p -> rule.alone(windows.get(p)) == ExecutionMode.DATA_PARALLEL).toList();
    LOG.info("pooled networks {}: {} pools packed, {} data-parallel, train windows by pool {}",
        kinds.stream().map(k -> model(k, scope)).toList(), packed.size(), parallel.size(),
        bySize.stream().map(p -> p.label() + "=" + windows.get(p)).toList());
    List<PoolUnit> units = new ArrayList<>();
    packed.forEach(p -> kinds.forEach(k -> units.add(new PoolUnit(p, scope, List.of(k)))));
    List<JobOutcome> out = new ArrayList<>(PackedTasks.run(spark, reader, "pooled networks",
        units, UnitInput.windows(), PooledNetworks::trainPool, ctx, id -> { }));
    for (Pool p : parallel) {
      for (NetworkArchitecture kind : kinds) {
        out.addAll(dataParallel(spark, reader, p, scope, kind, selection, ctx, registry));
      }
    }
    return out;
  }

  private static List<JobOutcome> trainPool(PoolUnit unit, JobWindows w, RunContext ctx,
      ModelRegistry registry) {
    Pool pool = unit.pool();
    List<JobOutcome> out = new ArrayList<>();
    for (NetworkArchitecture kind : unit.kinds()) {
      String model = model(kind, unit.scope());
      try {
        ModelSpec spec = ctx.spec(kind);
        LocalFitter fitter = new LocalFitter(kind.build(spec, ctx.shape(), 1), spec,
            ctx.shape(), w.trainInputs(), w.trainTargets(), w.validationInputs(),
            w.validationTargets());
        CheckpointStore checkpoints = ctx.checkpoints(pool.checkpoints(), model);
        FitOutcome fit = ModelPublisher.fit(pool.label(), spec, checkpoints, fitter, ctx);
        out.addAll(publish(pool, model, ExecutionMode.PACKED, spec, fit, ctx, registry));
        checkpoints.delete();
      } catch (Exception e) {
        LOG.error("{}/{} failed: {}", pool.label(), model, e.toString(), e);
        pool.members().forEach(j -> out.add(JobOutcome.failed(j, model, ExecutionMode.PACKED,
            e)));
      }
    }
    return out;
  }

  private static List<JobOutcome> dataParallel(SparkSession spark, DatasetReader reader,
      Pool pool, Scope scope, NetworkArchitecture kind, JobSelection selection, RunContext ctx,
      ModelRegistry registry) {
    String model = model(kind, scope);
    List<String> jobs = pool.members();
    try {
      ModelSpec spec = ctx.spec(kind);
      CheckpointStore checkpoints = ctx.checkpoints(pool.checkpoints(), model);
      FitOutcome fit = DataParallelTraining.fit(spark, reader, jobs, pool.label(), spec,
          selection.trainWindows(jobs), selection.validationWindows(jobs) > 0, checkpoints,
          ctx);
      List<JobOutcome> out = publish(pool, model, ExecutionMode.DATA_PARALLEL, spec, fit, ctx,
          registry);
      checkpoints.delete();
      return out;
    } catch (RuntimeException e) {
      LOG.error("{}/{} failed: {}", pool.label(), model, e.toString(), e);
      return jobs.stream().map(j -> JobOutcome.failed(j, model, ExecutionMode.DATA_PARALLEL, e))
          .toList();
    }
  }

  /** The pool's network under each member job; one job's failed publish is its own. */
  private static List<JobOutcome> publish(Pool pool, String model, ExecutionMode mode,
      ModelSpec spec, FitOutcome fit, RunContext ctx, ModelRegistry registry) {
    List<JobOutcome> out = new ArrayList<>();
    for (String job : pool.members()) {
      try {
        out.add(ModelPublisher.publish(job, model, mode, spec, fit, pool.lineage(), ctx,
            registry));
      } catch (RuntimeException e) {
        LOG.error("{}/{} publish failed: {}", job, model, e.toString(), e);
        out.add(JobOutcome.failed(job, model, mode, e));
      }
    }
    LOG.info("{} of {}: best epoch {} of {}, published for {} jobs", model, pool.label(),
        fit.history().bestEpoch(), fit.history().epochs().size(),
        out.stream().filter(JobOutcome::succeeded).count());
    return out;
  }

  /** The registry model name of {@code kind}'s pooled network, e.g. {@code mlp_pattern}. */
  static String model(NetworkArchitecture kind, Scope scope) {
    return new ModelKind(kind, scope).id();
  }
}
