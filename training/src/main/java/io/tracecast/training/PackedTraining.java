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
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Packed mode: one Spark task per (job, kind). The train and validation windows of the packed
 * jobs are shuffled so that partition i holds the windows of task i's job, a job's windows going
 * to each of its kinds' partitions (packed jobs are small by definition, below
 * data-parallel-min-windows, so the copies are cheap next to training). Tasks come in the plan's
 * order, largest estimated cost first, as Spark starts partitions in index order. A cluster with
 * N task slots thus trains N networks at once, the kinds of one job included. A task's failure
 * is caught in it and returned as an outcome, so the other tasks go on.
 *
 * <p>The partitioning only needs each unit's job: a later unit such as (job, kind, trial) fits
 * {@link #windowsByUnit} as it is.
 */
final class PackedTraining {
  private static final Logger LOG = LoggerFactory.getLogger(PackedTraining.class);

  private PackedTraining() {}

  /**
   * Trains {@code tasks} (packed, in this order), reporting each finished one to progress; the
   * graph kinds' tasks train on panels ({@link GraphPackedTraining}), after the others.
   */
  static List<JobOutcome> run(SparkSession spark, DatasetReader reader, List<TrainingTask> tasks,
      RunContext ctx, RunProgress progress) {
    List<TrainingTask> graphs = tasks.stream().filter(t -> t.kind().isGraph()).toList();
    if (!graphs.isEmpty()) {
      List<JobOutcome> out = new ArrayList<>(run(spark, reader,
          tasks.stream().filter(t -> !t.kind().isGraph()).toList(), ctx, progress));
      out.addAll(GraphPackedTraining.run(spark, reader, graphs, ctx, progress));
      return out;
    }
    if (tasks.isEmpty()) {
      return List.of();
    }
    ArrayList<TrainingTask> units = new ArrayList<>(tasks);
    List<String> ids = units.stream().map(TrainingTask::id).toList();
    List<JobOutcome> outcomes;
    try (PackedStage stage = PackedStage.start(spark.sparkContext(), "packed networks",
        units.size(), i -> progress.done(ids.get(i)))) {
      outcomes = new ArrayList<>(stage.mark(windowsByUnit(spark, reader,
              units.stream().map(TrainingTask::job).toList())
          .mapPartitions(it -> trainPartition(it, units, ctx)))
          .collect());
    }
    // A task whose windows never arrived (the manifest promised some) must not vanish silently.
    for (TrainingTask t : tasks) {
      if (outcomes.stream().noneMatch(o -> o.id().equals(t.id()))) {
        outcomes.add(JobOutcome.failed(t, new IllegalStateException(
            "no train windows read for job " + t.job())));
      }
    }
    // The listener bus may not have reported the last tasks yet: the stage is over.
    progress.done(ids);
    return outcomes;
  }

  /**
   * The train and validation windows of each unit's job, shuffled so that partition i holds
   * the windows of {@code unitJobs.get(i)}: one Spark task per unit, a job's windows copied to
   * each of its units.
   */
  static JavaPairRDD<Integer, WindowRow> windowsByUnit(SparkSession spark, DatasetReader reader,
      List<String> unitJobs) {
    HashMap<String, int[]> slots = slotsByJob(unitJobs);
    return windowsBySlots(spark, reader, new ArrayList<>(slots.keySet()), slots,
        unitJobs.size());
  }

  /** Job -> the indices of the units that train on its data, partition i being unit i. */
  static HashMap<String, int[]> slotsByJob(List<String> unitJobs) {
    HashMap<String, int[]> slots = new HashMap<>();
    for (int i = 0; i < unitJobs.size(); i++) {
      int[] before = slots.getOrDefault(unitJobs.get(i), new int[0]);
      int[] after = java.util.Arrays.copyOf(before, before.length + 1);
      after[before.length] = i;
      slots.put(unitJobs.get(i), after);
    }
    return slots;
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
    HashMap<String, int[]> slots = new HashMap<>();
    slotOf.forEach((job, slot) -> slots.put(job, new int[] {slot}));
    return windowsBySlots(spark, reader, jobs, slots, slotCount);
  }

  /** As {@link #windowsBySlot}, a job's windows going to every slot in {@code slotsOf}. */
  private static JavaPairRDD<Integer, WindowRow> windowsBySlots(SparkSession spark,
      DatasetReader reader, List<String> jobs, HashMap<String, int[]> slotsOf, int slotCount) {
    HashMap<String, int[]> slots = slotsOf;
    Dataset<Row> windows = trainAndValidation(spark, reader, jobs);
    return windows.javaRDD()
        .flatMapToPair(r -> {
          WindowRow w = WindowRow.from(r);
          List<Tuple2<Integer, WindowRow>> out = new ArrayList<>();
          for (int slot : slots.get(w.jobId())) {
            out.add(new Tuple2<>(slot, w));
          }
          return out.iterator();
        })
        .partitionBy(new JobPartitioner(slotCount));
  }

  /**
   * The encoded train and validation windows of {@code jobs} with a boolean {@code validation}
   * column, as {@link WindowRow#from} reads them.
   */
  static Dataset<Row> trainAndValidation(SparkSession spark, DatasetReader reader,
      List<String> jobs) {
    return reader.encodedWindows(spark, Split.TRAIN, jobs)
        .withColumn("validation", lit(false))
        .unionByName(reader.encodedWindows(spark, Split.VALIDATION, jobs)
            .withColumn("validation", lit(true)));
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
      List<TrainingTask> units, RunContext ctx) {
    SlotPartition partition = drainSlot(rows);
    if (partition == null) {
      return List.<JobOutcome>of().iterator();
    }
    TrainingTask task = units.get(partition.slot());
    ctx.limitNativeThreads();
    ModelRegistry registry = ModelRegistry.open(ctx.registryRoot(), ctx.hadoop().get());
    try {
      return List.of(LocalTraining.train(task, partition.windows(), ctx, registry)).iterator();
    } catch (Exception e) {
      LOG.error("{} failed: {}", task.id(), e.toString(), e);
      return List.of(JobOutcome.failed(task, e)).iterator();
    }
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
