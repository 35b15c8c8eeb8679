package io.tracecast.training;

import static org.apache.spark.sql.functions.lit;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Packed mode: one Spark task per small job. The train and validation windows of the packed
 * jobs are shuffled so that partition i holds job i (jobs largest first, as Spark starts
 * partitions in index order), and each task trains every model kind of its job with a plain
 * local fit. A cluster with N task slots thus trains N jobs at once. A job's failure is caught
 * in its task and returned as an outcome, so the other jobs go on.
 */
final class PackedTraining {
  private static final Logger LOG = LoggerFactory.getLogger(PackedTraining.class);

  private PackedTraining() {}

  static List<JobOutcome> run(SparkSession spark, DatasetReader reader, List<TrainingTask> tasks,
      RunContext ctx) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    ArrayList<String> jobs = new ArrayList<>(tasks.stream().map(TrainingTask::job).distinct()
        .toList());
    HashMap<String, Integer> slots = new HashMap<>();
    HashMap<String, ArrayList<TrainingTask>> byJob = new HashMap<>();
    for (TrainingTask t : tasks) {
      slots.putIfAbsent(t.job(), slots.size());
      byJob.computeIfAbsent(t.job(), j -> new ArrayList<>()).add(t);
    }
    Dataset<Row> windows = reader.encodedWindows(spark, Split.TRAIN, jobs)
        .withColumn("validation", lit(false))
        .unionByName(reader.encodedWindows(spark, Split.VALIDATION, jobs)
            .withColumn("validation", lit(true)));
    List<JobOutcome> outcomes;
    try (RunProgress progress = RunProgress.start(spark.sparkContext(), jobs.size())) {
      outcomes = new ArrayList<>(windows.javaRDD()
          .mapToPair(r -> new Tuple2<>(slots.get(r.getString(r.fieldIndex("job_id"))),
              WindowRow.from(r)))
          .partitionBy(new JobPartitioner(jobs.size()))
          .mapPartitions(it -> trainPartition(it, jobs, byJob, ctx))
          .collect());
    }
    // A job whose windows never arrived (the manifest promised some) must not vanish silently.
    for (TrainingTask t : tasks) {
      if (outcomes.stream().noneMatch(o -> o.job().equals(t.job()) && o.kind() == t.kind())) {
        outcomes.add(JobOutcome.failed(t, new IllegalStateException(
            "no train windows read for job " + t.job())));
      }
    }
    return outcomes;
  }

  private static Iterator<JobOutcome> trainPartition(Iterator<Tuple2<Integer, WindowRow>> rows,
      List<String> jobs, Map<String, ArrayList<TrainingTask>> byJob, RunContext ctx) {
    List<WindowRow> all = new ArrayList<>();
    int slot = -1;
    while (rows.hasNext()) {
      Tuple2<Integer, WindowRow> t = rows.next();
      slot = t._1();
      all.add(t._2());
    }
    if (all.isEmpty()) {
      return List.<JobOutcome>of().iterator();
    }
    String job = jobs.get(slot);
    // One thread per task core: N concurrent tasks on N cores must not each start N threads.
    // OMP_NUM_THREADS is set for executors by spark.executorEnv (see cli SparkSessions).
    Nd4j.getEnvironment().setMaxMasterThreads(ctx.threadsPerTask());
    Nd4j.getEnvironment().setMaxThreads(ctx.threadsPerTask());
    JobWindows data = split(all);
    ModelRegistry registry = ModelRegistry.open(ctx.registryRoot(), ctx.hadoop().get());
    List<JobOutcome> out = new ArrayList<>();
    for (TrainingTask task : byJob.get(job)) {
      try {
        out.add(LocalTraining.train(task, data, ctx, registry));
      } catch (Exception e) {
        LOG.error("{} failed: {}", task.id(), e.toString(), e);
        out.add(JobOutcome.failed(task, e));
      }
    }
    return out.iterator();
  }

  private static JobWindows split(List<WindowRow> rows) {
    rows.sort(WindowRow.ORDER);
    List<float[]> trainIn = new ArrayList<>();
    List<float[]> trainOut = new ArrayList<>();
    List<float[]> valIn = new ArrayList<>();
    List<float[]> valOut = new ArrayList<>();
    for (WindowRow w : rows) {
      (w.validation() ? valIn : trainIn).add(w.inputs());
      (w.validation() ? valOut : trainOut).add(w.targets());
    }
    return new JobWindows(trainIn, trainOut, valIn, valOut);
  }
}
