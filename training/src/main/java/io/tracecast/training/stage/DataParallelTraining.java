package io.tracecast.training.stage;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.run.RunContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Data-parallel mode for one large job: its windows become an RDD of minibatch DataSets, cached
 * for all epochs, and {@link SparkFitter} runs each epoch as DL4J parameter averaging. The epoch
 * loop (validation, early stopping, checkpoints) runs on the driver.
 */
public final class DataParallelTraining {
  private DataParallelTraining() {}

  static JobOutcome train(SparkSession spark, DatasetReader reader, TrainingTask task,
      RunContext ctx, ModelRegistry registry) {
    ModelSpec spec = ctx.spec(task.kind().network());
    CheckpointStore checkpoints = ctx.checkpoints(task.job(), task.kind().id());
    FitOutcome fit = fit(spark, reader, List.of(task.job()), task.job(), spec,
        task.trainWindows(), task.validationWindows() > 0, checkpoints, ctx);
    JobOutcome outcome = ModelPublisher.publish(task.job(), task.kind().id(), task.mode(), spec,
        fit, Lineage.NONE, ctx, registry);
    checkpoints.delete();
    return outcome;
  }

  /**
   * Fits one network over the windows of {@code jobs} (one job, or a usage pattern's members),
   * data-parallel; {@code label} names it in logs. The caller publishes and then deletes the
   * checkpoints.
   */
  public static FitOutcome fit(SparkSession spark, DatasetReader reader, List<String> jobs,
      String label, ModelSpec spec, long trainWindows, boolean hasValidation,
      CheckpointStore checkpoints, RunContext ctx) {
    NetworkShape shape = ctx.shape();
    int batch = spec.training().batchSize();
    JavaRDD<DataSet> train = minibatches(reader, spark, Split.TRAIN, jobs, spec, shape);
    JavaRDD<DataSet> validation = minibatches(reader, spark, Split.VALIDATION, jobs, spec,
        shape);
    try {
      ComputationGraph net = spec.kind().build(spec, shape, 1);
      ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batch)
          .batchSizePerWorker(batch)
          .averagingFrequency(ctx.averagingFrequency())
          // Prefetching runs DL4J's async iterator, which fails with our recurrent layers.
          .workerPrefetchNumBatches(0)
          // Adam's moments are averaged too; without them every round restarts the optimiser.
          .saveUpdater(true)
          .rngSeed(spec.training().seed())
          // The RDD is cached already; Export would write it to disk again on every fit.
          .rddTrainingApproach(RDDTrainingApproach.Direct)
          // The minibatches are spread over one partition per worker once (minibatches()), and
          // SparkComputationGraph's MultiDataSet view of them is cached as objects: DL4J's
          // defaults (repartition every averaging round's split; MEMORY_ONLY_SER) shuffle and
          // re-read Java-serialised NDArrays one float at a time in every round, which on the
          // Bitbrains month (60 VMs, 316 k windows, mlp on local[2]) took > 8 minutes per epoch
          // against 2.5 for a packed fit (bench/README.md "Data-parallel efficiency").
          .repartionData(Repartition.Never)
          .storageLevel(StorageLevel.MEMORY_ONLY())
          .build();
      SparkComputationGraph sparkNet = new SparkComputationGraph(
          JavaSparkContext.fromSparkContext(spark.sparkContext()), net, master);
      SparkFitter fitter = new SparkFitter(sparkNet, train, validation, trainWindows,
          hasValidation, spec, shape);
      return ModelPublisher.fit(label, spec, checkpoints, fitter, ctx);
    } finally {
      train.unpersist();
      validation.unpersist();
    }
  }

  private static JavaRDD<DataSet> minibatches(DatasetReader reader, SparkSession spark,
      Split split, List<String> jobs, ModelSpec spec, NetworkShape shape) {
    // One partition per task slot, each a worker's share of every averaging round: rows
    // shuffle in Spark's own binary format here, once, instead of DataSets in every round.
    int workers = Math.max(1, spark.sparkContext().defaultParallelism());
    return reader.encodedWindows(spark, split, jobs).repartition(workers).javaRDD()
        .mapPartitions(rows -> batches(rows, spec, shape).iterator())
        .persist(StorageLevel.MEMORY_ONLY());
  }

  /** Consecutive rows of a partition in minibatches of the spec's batch size. */
  static List<DataSet> batches(java.util.Iterator<Row> rows, ModelSpec spec, NetworkShape shape) {
    int batch = spec.training().batchSize();
    List<DataSet> out = new ArrayList<>();
    List<float[]> in = new ArrayList<>();
    List<float[]> y = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      in.add(WindowSchema.inputs(r));
      y.add(WindowSchema.targets(r));
      if (in.size() == batch || !rows.hasNext()) {
        out.add(WindowTensors.dataSet(in, y, shape, spec));
        in = new ArrayList<>();
        y = new ArrayList<>();
      }
    }
    return out;
  }
}
