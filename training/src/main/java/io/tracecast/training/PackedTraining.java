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
import org.apache.spark.api.java.JavaPairRDD;
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
    HashMap<String, ArrayList<TrainingTask>> byJob = new HashMap<>();
    for (TrainingTask t : tasks) {
      byJob.computeIfAbsent(t.job(), j -> new ArrayList<>()).add(t);
    }
    List<JobOutcome> outcomes;
    try (RunProgress progress = RunProgress.start(spark.sparkContext(), jobs.size())) {
      outcomes = new ArrayList<>(windowsByJob(spark, reader, jobs)
          .mapPartitions(it -> trainPartition(it, jobs, byJob, ctx))
          .collect());
    }
    // A job whose windows never arrived (the manifest promised some) must not vanish silently.
    for (TrainingTask t : tasks) {
      if (outcomes.stream().noneMatch(o -> o.job().equals(t.job()) && o.model().equals(t.kind().id()))) {
        outcomes.add(JobOutcome.failed(t, new IllegalStateException(
            "no train windows read for job " + t.job())));
      }
    }
    return outcomes;
  }

  /**
   * The train and validation windows of {@code jobs}, shuffled so that partition i holds job i
   * (one Spark task per job; put the largest first, as Spark starts partitions in index order).
   */
  static JavaPairRDD<Integer, WindowRow> windowsByJob(SparkSession spark, DatasetReader reader,
      List<String> jobs) {
    HashMap<String, Integer> slots = new HashMap<>();
    jobs.forEach(j -> slots.putIfAbsent(j, slots.size()));
    return windowsBySlot(spark, reader, jobs, slots, jobs.size());
  }

  /**
   * The train and validation windows of {@code jobs}, shuffled so that partition i holds the
   * jobs with {@code slotOf} i: one Spark task per slot (a job, or a usage pattern's members).
   */
  static JavaPairRDD<Integer, WindowRow> windowsBySlot(SparkSession spark, DatasetReader reader,
      List<String> jobs, HashMap<String, Integer> slotOf, int slotCount) {
    HashMap<String, Integer> slots = slotOf;
    Dataset<Row> windows = reader.encodedWindows(spark, Split.TRAIN, jobs)
        .withColumn("validation", lit(false))
        .unionByName(reader.encodedWindows(spark, Split.VALIDATION, jobs)
            .withColumn("validation", lit(true)));
    return windows.javaRDD()
        .mapToPair(r -> new Tuple2<>(slots.get(r.getString(r.fieldIndex("job_id"))),
            WindowRow.from(r)))
        .partitionBy(new JobPartitioner(slotCount));
  }

  /** One job's windows, as a partition of {@link #windowsByJob} delivers them. */
  record JobPartition(String job, JobWindows windows) {}

  /** Drains a partition of {@link #windowsByJob}; null when it is empty. */
  static JobPartition drain(Iterator<Tuple2<Integer, WindowRow>> rows, List<String> jobs) {
    SlotPartition p = drainSlot(rows);
    return p == null ? null : new JobPartition(jobs.get(p.slot()), p.windows());
  }

  /** One slot's windows, as a partition of {@link #windowsBySlot} delivers them. */
  record SlotPartition(int slot, JobWindows windows) {}

  /** Drains a partition of {@link #windowsBySlot}; null when it is empty. */
  static SlotPartition drainSlot(Iterator<Tuple2<Integer, WindowRow>> rows) {
    List<WindowRow> all = new ArrayList<>();
    int slot = -1;
    while (rows.hasNext()) {
      Tuple2<Integer, WindowRow> t = rows.next();
      slot = t._1();
      all.add(t._2());
    }
    return all.isEmpty() ? null : new SlotPartition(slot, split(all));
  }

  private static Iterator<JobOutcome> trainPartition(Iterator<Tuple2<Integer, WindowRow>> rows,
      List<String> jobs, Map<String, ArrayList<TrainingTask>> byJob, RunContext ctx) {
    JobPartition partition = drain(rows, jobs);
    if (partition == null) {
      return List.<JobOutcome>of().iterator();
    }
    String job = partition.job();
    // One thread per task core: N concurrent tasks on N cores must not each start N threads.
    // OMP_NUM_THREADS is set for executors by spark.executorEnv (see cli SparkSessions).
    Nd4j.getEnvironment().setMaxMasterThreads(ctx.threadsPerTask());
    Nd4j.getEnvironment().setMaxThreads(ctx.threadsPerTask());
    JobWindows data = partition.windows();
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
