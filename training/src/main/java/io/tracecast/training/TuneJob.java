package io.tracecast.training;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.plan.JobSelection;
import io.tracecast.training.plan.TrainingPlanner;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.tune.KindSearch;
import io.tracecast.training.tune.TuneData;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracecast tune}'s entry point: per (job, network kind) a hyperparameter search
 * ({@link KindSearch}) on the job's windows, broadcast once per job, publishing the winner as
 * {@code <kind>_hpo}.
 *
 * <p>Every trial is one packed task, whatever the job's size: {@code data-parallel-min-windows}
 * decides how {@code train} fits one network, but a search fits many, and one trial per task
 * slot keeps every slot busy where a data-parallel trial would hold the whole cluster for one
 * network. A job's windows must fit in a task's memory (they are broadcast): 352k windows of
 * 12 x 8 floats are about 135 MB.
 */
public final class TuneJob {
  private static final Logger LOG = LoggerFactory.getLogger(TuneJob.class);

  private TuneJob() {}

  public static List<TuneOutcome> run(SparkSession spark, TuneRequest request) {
    DatasetReader reader = DatasetReader.open(spark, request.dataset());
    Manifest m = reader.manifest();
    JobSelection selection = TrainingPlanner.select(m, request.jobs());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelRegistry registry = ModelRegistry.open(request.registry(), conf);
    RunContext ctx = RunContext.of(request.dataset(), m, selection.jobs(),
        request.train().withModels(request.kinds().stream().map(ModelKind::perJob).toList()),
        registry, conf, io.tracecast.training.fit.EpochListener.NONE);
    List<TuneOutcome> out = new ArrayList<>();
    for (String job : selection.jobs()) {
      String refusal = refusal(job, selection);
      if (refusal != null) {
        LOG.warn("tune {}: {}", job, refusal);
        request.kinds().forEach(k -> out.add(TuneOutcome.failed(job, k, refusal)));
        continue;
      }
      Broadcast<TuneData> data = KindSearch.windows(spark, reader, job);
      try {
        for (NetworkArchitecture kind : request.kinds()) {
          try {
            out.add(KindSearch.search(spark, job, kind, data, ctx.spec(kind), request.tune(),
                ctx, registry, m.lookback()));
          } catch (RuntimeException e) {
            LOG.error("tune {}/{} failed: {}", job, kind.id(), e.toString(), e);
            out.add(TuneOutcome.failed(job, kind, e.toString()));
          }
        }
      } finally {
        data.destroy();
      }
    }
    selection.skipped().forEach((job, why) -> LOG.info("tune: skipped {}: {}", job, why));
    return out;
  }

  private static String refusal(String job, JobSelection selection) {
    if (selection.validationWindows().getOrDefault(job, 0L) == 0) {
      return "no validation windows: the search's objective is the validation MAE";
    }
    return null;
  }
}
