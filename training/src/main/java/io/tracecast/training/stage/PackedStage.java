package io.tracecast.training.stage;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver-side view of one packed Spark stage (one task per unit of work: a (job, kind), a job,
 * a pattern): the Spark jobs that the calling thread runs until {@link #close} get a job group of
 * their own, and each successful task of the stage that computes the {@link #mark marked} RDD is
 * reported by its partition index, which is the unit's index. The group is per stage and per thread (Spark keeps job groups
 * in thread-local properties), so a data-parallel job that another driver thread runs at the same
 * time is never counted here.
 *
 * <p>Spark's listener bus is asynchronous: the last task's report may come after the stage's
 * action has returned, or not at all once the listener is removed. Callers that must count
 * every unit do so again after the action (see {@link RunProgress#done}, which is idempotent).
 */
final class PackedStage extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PackedStage.class);
  static final String JOB_GROUP_PREFIX = "tracecast-packed-";
  private static final AtomicInteger GROUPS = new AtomicInteger();

  private final SparkContext sc;
  private final String group;
  private final String label;
  private final int tasks;
  private final IntConsumer onTaskDone;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private volatile int resultStageId = -1;

  private PackedStage(SparkContext sc, String label, int tasks, IntConsumer onTaskDone) {
    this.sc = sc;
    this.group = JOB_GROUP_PREFIX + GROUPS.incrementAndGet();
    this.label = label;
    this.tasks = tasks;
    this.onTaskDone = onTaskDone;
  }

  /**
   * Starts listening; the Spark jobs this thread runs until {@link #close} belong to the stage.
   *
   * @param label names the stage in logs, e.g. {@code packed networks}
   * @param onTaskDone called on Spark's listener thread with each finished task's partition
   */
  static PackedStage start(SparkContext sc, String label, int tasks, IntConsumer onTaskDone) {
    PackedStage s = new PackedStage(sc, label, tasks, onTaskDone);
    sc.setJobGroup(s.group, "tracecast " + label + ": " + tasks + " tasks", false);
    sc.addSparkListener(s);
    return s;
  }

  /** A stage whose finished tasks are only logged. */
  static PackedStage start(SparkContext sc, String label, int tasks) {
    return start(sc, label, tasks, i -> { });
  }

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    String g = event.properties() == null ? null
        : event.properties().getProperty("spark.jobGroup.id");
    if (!group.equals(g)) {
      return;
    }
    // The training stage is the result stage of the job whose RDDs include the marked one;
    // other jobs of the group (the scan's planning, a shuffle's map stage) are not counted.
    for (StageInfo info : scala.collection.JavaConverters.seqAsJavaList(event.stageInfos())) {
      boolean marked = scala.collection.JavaConverters.seqAsJavaList(info.rddInfos()).stream()
          .anyMatch(r -> group.equals(r.name()));
      if (marked && info.numTasks() == tasks) {
        resultStageId = info.stageId();
      }
    }
  }

  /** Marks the RDD whose tasks are the units: call on the RDD the stage's action runs on. */
  <T> JavaRDD<T> mark(JavaRDD<T> rdd) {
    return rdd.setName(group);
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    if (event.stageId() != resultStageId || !event.taskInfo().successful()) {
      return;
    }
    int finished = done.incrementAndGet();
    LOG.info(String.format(Locale.ROOT, "%s: %d of %d tasks done in %.0f s", label, finished,
        tasks, (System.nanoTime() - startNanos) / 1e9));
    onTaskDone.accept(event.taskInfo().index());
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
    sc.clearJobGroup();
  }
}
