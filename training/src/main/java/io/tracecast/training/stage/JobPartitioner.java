package io.tracecast.training.stage;

import org.apache.spark.Partitioner;

/**
 * Partition i holds the windows of the i-th packed unit (a (job, kind), a job, a pattern), so
 * each Spark task trains exactly one unit and Spark's scheduler spreads units over free task
 * slots as they finish. A hash partitioner could put two units in one task while another task
 * sits empty.
 */
final class JobPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int jobs;

  JobPartitioner(int jobs) {
    this.jobs = jobs;
  }

  @Override
  public int numPartitions() {
    return jobs;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobPartitioner p && p.jobs == jobs;
  }

  @Override
  public int hashCode() {
    return jobs;
  }
}
