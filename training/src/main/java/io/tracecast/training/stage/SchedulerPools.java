package io.tracecast.training.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/**
 * How packed and data-parallel training share the cluster. The packed stage is submitted from a
 * driver thread of its own in Spark scheduler pool {@value #PACKED} while the data-parallel jobs
 * run one at a time from the calling thread in pool {@value #DATA_PARALLEL}. Under
 * {@code spark.scheduler.mode=FAIR} (set in conf/application.conf's {@code tracecast.spark})
 * both pools have Spark's defaults, weight 1 and no minimum share: while both have runnable
 * tasks, each freed slot goes to the pool with fewer running tasks, so a data-parallel job gets
 * slots as packed tasks finish (Spark never preempts a running task) until the two hold half
 * the slots each, and a pool alone gets every slot. A fair-scheduler allocation file
 * ({@code spark.scheduler.allocation.file}) that defines these pool names changes the shares.
 * Under FIFO the same code still runs both sides, but the data-parallel job only gets the slots
 * the packed stage leaves once all its tasks have started.
 */
public final class SchedulerPools {
  static final String PACKED = "packed";
  static final String DATA_PARALLEL = "data-parallel";
  /** Spark's thread-local property that picks a job's pool. */
  static final String POOL_PROPERTY = "spark.scheduler.pool";

  private SchedulerPools() {}

  /**
   * Runs {@code packed} and {@code dataParallel} side by side (packed on a new driver thread)
   * and returns their results, packed first, once both are done. An exception of either side
   * is rethrown after the other has finished: each side turns its own failures into outcomes.
   */
  public static <T> List<T> sideBySide(SparkContext sc, Supplier<List<T>> packed,
      Supplier<List<T>> dataParallel) {
    CompletableFuture<List<T>> packedResult = new CompletableFuture<>();
    // A new thread inherits a copy of this thread's Spark local properties; it sets its own pool.
    Thread thread = new Thread(() -> {
      try {
        packedResult.complete(inPool(sc, PACKED, packed));
      } catch (Throwable e) {
        packedResult.completeExceptionally(e);
      }
    }, "tracecast-packed-stage");
    thread.setDaemon(true);
    thread.start();
    List<T> parallel = inPool(sc, DATA_PARALLEL, dataParallel);
    List<T> out = new ArrayList<>();
    try {
      out.addAll(packedResult.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
    out.addAll(parallel);
    return out;
  }

  /** Runs {@code work} with this thread's Spark jobs in {@code pool}, then restores the pool. */
  static <T> T inPool(SparkContext sc, String pool, Supplier<T> work) {
    String before = sc.getLocalProperty(POOL_PROPERTY);
    sc.setLocalProperty(POOL_PROPERTY, pool);
    try {
      return work.get();
    } finally {
      sc.setLocalProperty(POOL_PROPERTY, before);
    }
  }
}
