package io.tracecast.training.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which networks of a run train data-parallel (DL4J parameter averaging over every slot) and
 * which packed (one slot each, side by side): the one home of that decision. It is taken by
 * estimated cost, not by size alone: a network goes data-parallel when that shortens the run's
 * estimated wall time, the makespan of its networks on {@code slots} task slots, where a packed
 * network occupies one slot for its cost (train windows x its kind's measured cost per window)
 * and a data-parallel one spreads its cost / {@code efficiency} over all slots (the scheduler
 * pools run both side by side, so the slots stay busy). Many small networks, or fewer slots
 * than networks, stay packed; a network that alone outlasts the others' share goes
 * data-parallel when averaging is efficient enough to pay for itself.
 *
 * @param minWindows only a network over at least this many train windows may go data-parallel
 *     ({@code tracecast.train.data-parallel-min-windows}): below it averaging rounds are too
 *     short to be worth their synchronisation, whatever the estimate says
 * @param efficiency the throughput of parameter averaging on S slots as a fraction of S packed
 *     fits' ({@code tracecast.train.data-parallel-efficiency}, measured by bench/train)
 * @param slots the task slots of the cluster (Spark's default parallelism)
 */
public record DataParallelRule(long minWindows, double efficiency, int slots)
    implements Serializable {

  public DataParallelRule {
    if (minWindows < 1) {
      throw new IllegalArgumentException("data-parallel-min-windows must be >= 1, got "
          + minWindows);
    }
    if (!(efficiency > 0 && efficiency <= 1)) {
      throw new IllegalArgumentException("data-parallel-efficiency must be in (0, 1], got "
          + efficiency);
    }
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1, got " + slots);
    }
  }

  /** One network alone on the cluster (a pooled one): data-parallel when that is faster. */
  public ExecutionMode alone(long trainWindows) {
    return trainWindows >= minWindows && slots * efficiency > 1
        ? ExecutionMode.DATA_PARALLEL : ExecutionMode.PACKED;
  }

  /**
   * Which of the run's networks go data-parallel: of the eligible ones (a kind that can, at least
   * {@link #minWindows}), the costliest k for the k with the lowest estimated makespan (ties:
   * the fewer).
   *
   * @param costs each network's estimated cost
   * @param eligible whether each may train data-parallel
   * @return for each network, whether it trains data-parallel
   */
  public boolean[] choose(double[] costs, boolean[] eligible) {
    if (costs.length != eligible.length) {
      throw new IllegalArgumentException(costs.length + " costs for " + eligible.length
          + " networks");
    }
    List<Integer> candidates = new ArrayList<>(IntStream.range(0, costs.length)
        .filter(i -> eligible[i]).boxed().toList());
    candidates.sort(Comparator.comparingDouble((Integer i) -> costs[i]).reversed());
    boolean[] parallel = new boolean[costs.length];
    boolean[] best = parallel.clone();
    double bestSpan = makespan(costs, parallel);
    for (int i : candidates) {
      parallel[i] = true;
      double span = makespan(costs, parallel);
      if (span < bestSpan) {
        bestSpan = span;
        best = parallel.clone();
      }
    }
    return best;
  }

  /**
   * The estimated wall time of the networks: the longer of the work spread over every slot and
   * the longest packed network (which one slot must run from start to end).
   */
  public double makespan(double[] costs, boolean[] parallel) {
    double work = 0;
    double longestPacked = 0;
    for (int i = 0; i < costs.length; i++) {
      if (parallel[i]) {
        work += costs[i] / efficiency;
      } else {
        work += costs[i];
        longestPacked = Math.max(longestPacked, costs[i]);
      }
    }
    return Math.max(work / slots, longestPacked);
  }
}
