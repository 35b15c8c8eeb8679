package io.tracecast.training;

import org.apache.spark.Partitioner;

/**
 * Partition i holds the windows of the i-th packed job, so each Spark task trains exactly one
 * job and Spark's scheduler spreads jobs over free task slots as they finish. A hash partitioner
 * could put two jobs in one task while another task sits empty.
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
