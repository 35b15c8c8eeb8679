package io.tracecast.training.pooled;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.plan.DataParallelRule;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.run.RunContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code _global} kinds of a run: one model over the windows of every job of the run,
 * published under each of them with the jobs it was pooled over in its lineage. Trees
 * ({@code gbt_global}) train with XGBoost4J-Spark over all executors ({@link PooledTrees});
 * networks ({@code mlp_global}, ...) as one pool of {@link PooledNetworks}: packed in one task,
 * or data-parallel where {@link DataParallelRule#alone} says so. Then the
 * {@code _global_tuned} networks, each job's global network fine-tuned on its own windows
 * ({@link FineTuning}).
 */
public final class GlobalModels {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalModels.class);

  private GlobalModels() {}

  /** Trains every global kind the settings ask for; failures become outcomes. */
  public static List<JobOutcome> train(SparkSession spark, DatasetReader reader,
      JobSelection selection, TrainSettings settings, DataParallelRule rule, RunContext ctx,
      ModelRegistry registry) {
    List<String> jobs = selection.largestFirst();
    List<JobOutcome> out = new ArrayList<>();
    for (ModelKind kind : settings.kinds(Scope.GLOBAL)) {
      if (kind.family() == ModelFamily.GBT) {
        out.addAll(trees(spark, reader, kind, jobs, ctx, registry));
      }
    }
    List<NetworkArchitecture> networks = settings.globalNetworks();
    if (!networks.isEmpty() && !jobs.isEmpty()) {
      // Members sorted, so the checkpoint name of the same jobs is the same on a rerun.
      List<String> members = jobs.stream().sorted().toList();
      PooledNetworks.Pool all = new PooledNetworks.Pool("global", members,
          RegistryLayout.globalCheckpoints(members), Lineage.NONE.withPooledOver(members));
      out.addAll(PooledNetworks.train(spark, reader, List.of(all), Scope.GLOBAL, networks,
          selection, rule, ctx, registry));
    }
    List<NetworkArchitecture> tuned = settings.kinds(Scope.GLOBAL_TUNED).stream()
        .map(ModelKind::network).toList();
    if (!tuned.isEmpty() && !jobs.isEmpty()) {
      out.addAll(FineTuning.train(spark, reader, jobs, Scope.GLOBAL_TUNED, tuned, out,
          settings.pooled(), ctx));
    }
    return out;
  }

  private static List<JobOutcome> trees(SparkSession spark, DatasetReader reader,
      ModelKind kind, List<String> jobs, RunContext ctx, ModelRegistry registry) {
    try {
      return PooledTrees.train(spark, reader, jobs, kind.id(), Lineage.NONE, ctx, registry);
    } catch (RuntimeException e) {
      LOG.error("{} training failed: {}", kind.id(), e.toString(), e);
      return jobs.stream().map(j -> JobOutcome.failed(j, kind.id(), ExecutionMode.POOLED, e))
          .toList();
    }
  }
}
