package io.tracecast.training.stage;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.run.RunContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The one template of a packed stage: one Spark task per unit of work (a (job, kind), a job's
 * tuned kinds, a usage pattern's networks), partition i holding unit i's data
 * ({@link UnitInput}), units in the caller's order, largest first, as Spark starts partitions
 * in index order. A task drains its partition, limits ND4J to the run's threads, opens the
 * registry and runs the stage's {@link Body}; a body's exception becomes its unit's failed
 * outcomes, so the other tasks go on, and a unit whose data never arrived (the manifest promised
 * some) fails too, never vanishes. A cluster with N task slots runs N units at once.
 */
public final class PackedTasks {
  private static final Logger LOG = LoggerFactory.getLogger(PackedTasks.class);

  private PackedTasks() {}

  /** One unit of packed work: one Spark task. */
  public interface Unit extends Serializable {
    /** Its id in logs and in the run's progress (a planned unit's id, e.g. {@code job/kind}). */
    String id();

    /** The jobs whose train and validation data it trains on. */
    List<String> jobs();

    /** The outcomes of everything it would have published, when it fails as a whole. */
    List<JobOutcome> failed(Throwable error);
  }

  /** What a task does with its unit's data: train and publish. */
  @FunctionalInterface
  public interface Body<U extends Unit, D> extends Serializable {
    List<JobOutcome> train(U unit, D data, RunContext ctx, ModelRegistry registry)
        throws Exception;
  }

  /** One task's outcomes, by its unit's index. */
  private record UnitOutcomes(int slot, List<JobOutcome> outcomes) implements Serializable {}

  /**
   * Runs {@code units} as one Spark stage and returns their outcomes in unit order.
   *
   * @param label names the stage in logs, e.g. {@code packed networks}
   * @param done called with each unit's id as it finishes (on Spark's listener thread), and once
   *     more for every unit after the stage (the listener bus is asynchronous)
   */
  public static <U extends Unit, R extends Serializable, D> List<JobOutcome> run(
      SparkSession spark, DatasetReader reader, String label, List<U> units,
      UnitInput<R, D> input, Body<U, D> body, RunContext ctx, Consumer<String> done) {
    if (units.isEmpty()) {
      return List.of();
    }
    ArrayList<U> list = new ArrayList<>(units);
    List<String> ids = list.stream().map(Unit::id).toList();
    List<UnitOutcomes> results;
    try (PackedStage stage = PackedStage.start(spark.sparkContext(), label, list.size(),
        i -> done.accept(ids.get(i)))) {
      results = stage.mark(input.byUnit(spark, reader, list.stream().map(Unit::jobs).toList())
          .mapPartitions(rows -> task(rows, list, input, body, ctx))).collect();
    }
    Map<Integer, List<JobOutcome>> bySlot = new HashMap<>();
    results.forEach(r -> bySlot.put(r.slot(), r.outcomes()));
    List<JobOutcome> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      U unit = list.get(i);
      out.addAll(bySlot.containsKey(i) ? bySlot.get(i) : unit.failed(new IllegalStateException(
          "no train data read for " + unit.jobs())));
    }
    ids.forEach(done);
    return out;
  }

  private static <U extends Unit, R extends Serializable, D> Iterator<UnitOutcomes> task(
      Iterator<Tuple2<Integer, R>> rows, List<U> units, UnitInput<R, D> input,
      Body<U, D> body, RunContext ctx) {
    UnitInput.Drained<D> drained = input.drain(rows);
    if (drained == null) {
      return List.<UnitOutcomes>of().iterator();
    }
    U unit = units.get(drained.slot());
    ctx.limitNativeThreads();
    List<JobOutcome> out;
    try {
      out = body.train(unit, drained.data(), ctx, ctx.registry());
    } catch (Exception e) {
      LOG.error("{} failed: {}", unit.id(), e.toString(), e);
      out = unit.failed(e);
    }
    return List.of(new UnitOutcomes(drained.slot(), out)).iterator();
  }
}
