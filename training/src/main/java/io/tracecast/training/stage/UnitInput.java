package io.tracecast.training.stage;

import static org.apache.spark.sql.functions.lit;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.kind.InputForm;
import io.tracecast.training.run.JobPanels;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.PanelRow;
import io.tracecast.training.run.WindowRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * How the units of a packed stage get their data, by {@link InputForm}: the train and validation
 * rows (windows or panels) of each unit's jobs, shuffled so that partition i holds unit i's, a
 * job's rows copied to every unit that trains on them (packed units are small by definition,
 * below {@code data-parallel-min-windows}, so the copies are cheap next to training); and how a
 * task drains its partition into the unit's data, in a fixed order.
 *
 * @param <R> the row on its way to a task
 * @param <D> what a unit trains on
 */
public final class UnitInput<R extends Serializable, D> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A unit's data with its partition index (the unit's index in the stage). */
  public record Drained<D>(int slot, D data) {}

  /** The reader of one split's encoded rows of some jobs. */
  private interface Rows extends Serializable {
    Dataset<Row> of(SparkSession spark, DatasetReader reader, Split split, List<String> jobs);
  }

  private final Rows rows;
  private final org.apache.spark.api.java.function.Function<Row, R> decode;
  private final SerializableFunction<List<R>, D> assemble;

  private interface SerializableFunction<A, B> extends Function<A, B>, Serializable {}

  private UnitInput(Rows rows, org.apache.spark.api.java.function.Function<Row, R> decode,
      SerializableFunction<List<R>, D> assemble) {
    this.rows = rows;
    this.decode = decode;
    this.assemble = assemble;
  }

  /** Windows: {@link JobWindows} in {@link WindowRow#ORDER}. */
  public static UnitInput<WindowRow, JobWindows> windows() {
    return new UnitInput<>((spark, reader, split, jobs) -> reader.encodedWindows(spark, split,
        jobs), WindowRow::from, JobWindows::of);
  }

  /** Panels: {@link JobPanels} in {@link PanelRow#ORDER}. */
  public static UnitInput<PanelRow, JobPanels> panels() {
    return new UnitInput<>((spark, reader, split, jobs) -> reader.encodedPanels(spark, split,
        jobs), PanelRow::from, JobPanels::of);
  }

  /**
   * The train and validation rows of every unit's jobs, partition i holding unit i's (one Spark
   * task per unit).
   */
  public JavaPairRDD<Integer, R> byUnit(SparkSession spark, DatasetReader reader,
      List<List<String>> unitJobs) {
    HashMap<String, int[]> slots = slotsByJob(unitJobs);
    org.apache.spark.api.java.function.Function<Row, R> f = decode;
    return trainAndValidation(spark, reader, new ArrayList<>(slots.keySet())).javaRDD()
        .flatMapToPair(r -> {
          R row = f.call(r);
          List<Tuple2<Integer, R>> out = new ArrayList<>();
          for (int slot : slots.get(WindowSchema.jobId(r))) {
            out.add(new Tuple2<>(slot, row));
          }
          return out.iterator();
        })
        .partitionBy(new JobPartitioner(unitJobs.size()));
  }

  /**
   * The encoded train and validation rows of {@code jobs} with the boolean
   * {@value WindowRow#VALIDATION} column the rows decode.
   */
  public Dataset<Row> trainAndValidation(SparkSession spark, DatasetReader reader,
      List<String> jobs) {
    return rows.of(spark, reader, Split.TRAIN, jobs).withColumn(WindowRow.VALIDATION, lit(false))
        .unionByName(rows.of(spark, reader, Split.VALIDATION, jobs)
            .withColumn(WindowRow.VALIDATION, lit(true)));
  }

  /** Drains one partition of {@link #byUnit}; null when it is empty. */
  public Drained<D> drain(Iterator<Tuple2<Integer, R>> partition) {
    List<R> all = new ArrayList<>();
    int slot = -1;
    while (partition.hasNext()) {
      Tuple2<Integer, R> t = partition.next();
      slot = t._1();
      all.add(t._2());
    }
    return all.isEmpty() ? null : new Drained<>(slot, assemble.apply(all));
  }

  /** Job -> the indices of the units that train on its data. */
  static HashMap<String, int[]> slotsByJob(List<List<String>> unitJobs) {
    HashMap<String, int[]> slots = new HashMap<>();
    for (int i = 0; i < unitJobs.size(); i++) {
      for (String job : unitJobs.get(i)) {
        int[] before = slots.getOrDefault(job, new int[0]);
        int[] after = Arrays.copyOf(before, before.length + 1);
        after[before.length] = i;
        slots.put(job, after);
      }
    }
    return slots;
  }
}
