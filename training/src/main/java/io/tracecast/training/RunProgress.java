package io.tracecast.training;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver-side progress of the packed stage, for the run as a whole: each finished Spark task
 * is one job with all its models, so the driver logs jobs done of total and an ETA for the
 * run from the mean time per job so far. (Executors log per-epoch lines for their own job.)
 */
final class RunProgress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);
  static final String JOB_GROUP = "tracecast-packed-training";

  private final SparkContext sc;
  private final int totalJobs;
  private final int cores;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private volatile int stageId = -1;

  private RunProgress(SparkContext sc, int totalJobs) {
    this.sc = sc;
    this.totalJobs = totalJobs;
    this.cores = Math.max(1, sc.defaultParallelism());
  }

  /** Starts listening; Spark jobs the caller runs until {@link #close} belong to the group. */
  static RunProgress start(SparkContext sc, int totalJobs) {
    RunProgress p = new RunProgress(sc, totalJobs);
    sc.setJobGroup(JOB_GROUP, "tracecast packed training of " + totalJobs + " jobs", false);
    sc.addSparkListener(p);
    return p;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    // The training stage is the one with one task per job (the shuffle's map stage precedes it).
    String group = event.properties() == null ? null
        : event.properties().getProperty("spark.jobGroup.id");
    if (JOB_GROUP.equals(group) && event.stageInfo().numTasks() == totalJobs) {
      stageId = event.stageInfo().stageId();
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    if (event.stageId() != stageId) {
      return;
    }
    int finished = done.incrementAndGet();
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    // Tasks run `cores` at a time: remaining jobs take ceil(remaining / cores) more rounds.
    double perRound = elapsed / Math.ceil(finished / (double) cores);
    double eta = Math.ceil((totalJobs - finished) / (double) cores) * perRound;
    LOG.info(String.format(Locale.ROOT, "packed training: %d of %d jobs done in %.0f s, ETA for"
        + " the run %.0f s", finished, totalJobs, elapsed, eta));
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
    sc.clearJobGroup();
  }
}
