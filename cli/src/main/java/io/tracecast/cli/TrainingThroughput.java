package io.tracecast.cli;

import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SEGMENT;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;

import com.sun.management.OperatingSystemMXBean;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Panel;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.fit.PanelFitter;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.network.Convolution;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput in train windows per second, for {@code tracecast bench train}. Each
 * measurement runs one untimed warm-up epoch first (JIT, native allocations, Spark's first job).
 * Local fit and parameter averaging time pure fitting epochs; packed mode times whole
 * {@link TrainJob} runs (shuffle, validation, checkpoints and publishing included), because that
 * is what packing is meant to speed up.
 */
final class TrainingThroughput {
  private TrainingThroughput() {}

  /** All train windows of the dataset, in a fixed order, as one pool. */
  record Pool(List<float[]> inputs, List<float[]> targets, NetworkShape shape) {}

  static Pool trainPool(SparkSession spark, String dataset) {
    DatasetReader reader = DatasetReader.open(spark, dataset);
    Manifest m = reader.manifest();
    List<Row> rows = reader.encodedWindows(spark, Split.TRAIN)
        .orderBy(JOB_ID, SERIES_ID, SEGMENT, END_TIME).collectAsList();
    List<float[]> in = new ArrayList<>();
    List<float[]> out = new ArrayList<>();
    for (Row r : rows) {
      in.add(WindowSchema.inputs(r));
      out.add(WindowSchema.targets(r));
    }
    return new Pool(in, out, NetworkShape.of(m));
  }

  /**
   * The train panels of the dataset's widest job graph (most nodes; then most panels), in end
   * time order: what a panel kind trains on. A dataset grouped one machine per job has 1-node
   * graphs only; {@code bench/train} gives graph_gru a dataset grouped by cluster instead.
   */
  static PanelPool trainPanels(SparkSession spark, String dataset) {
    DatasetReader reader = DatasetReader.open(spark, dataset);
    Map<String, List<Panel>> byGraph = new TreeMap<>();
    for (Row r : reader.encodedPanels(spark, Split.TRAIN).collectAsList()) {
      Panel p = Panel.from(r);
      byGraph.computeIfAbsent(p.jobId() + "/" + p.graphId(), g -> new ArrayList<>()).add(p);
    }
    List<Panel> widest = byGraph.values().stream()
        .max(Comparator.<List<Panel>>comparingInt(ps -> ps.get(0).nodes())
            .thenComparingInt(List::size))
        .orElseThrow(() -> new IllegalArgumentException(dataset + ": no train panels"));
    if (widest.get(0).nodes() < 2) {
      // graph_gru's layer fails deep inside ND4J on 1-node panels; say why before any fit
      throw new IllegalArgumentException(dataset + ": every job graph has 1 node (one machine "
          + "per job), a panel kind needs >= 2: pass --graph-dataset a dataset grouped by "
          + "cluster (etl --grouping cluster) or leave graph_gru out of --kinds");
    }
    List<Panel> out = new ArrayList<>(widest);
    out.sort(Comparator.comparingLong(Panel::endMillis));
    return new PanelPool(out, NetworkShape.of(reader.manifest()));
  }

  /** One job graph's train panels, all {@code nodes} wide, and their dataset's shape. */
  record PanelPool(List<Panel> panels, NetworkShape shape) {
    int nodes() {
      return panels.get(0).nodes();
    }
  }

  /**
   * Writes the pool as the networks see it, for the PyTorch reference {@code bench/train_torch.py}:
   * {@code features.f32} is {@code [windows, features, lookback]} (NCW, inputs squashed if the
   * dataset asks for it), {@code targets.f32} is {@code [windows, targetLength]}, both
   * little-endian float32, and {@code shape.txt} holds the four sizes on one line.
   */
  static void exportWindows(Pool pool, java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    // specs.csv describes this export's runs only (exportSpec appends to it)
    java.nio.file.Files.deleteIfExists(dir.resolve("specs.csv"));
    NetworkShape s = pool.shape();
    writeFloats(dir.resolve("features.f32"), WindowTensors.features(pool.inputs(), s));
    writeFloats(dir.resolve("targets.f32"), WindowTensors.labels(pool.targets(), s, 1));
    java.nio.file.Files.writeString(dir.resolve("shape.txt"), pool.inputs().size() + " "
        + s.features() + " " + s.lookback() + " " + s.targetLength() + "\n");
    // The residual head adds the last value of each output's target feature (NetworkBuilder):
    // output value j = h * targets + k reads feature targetFeatures[k].
    java.nio.file.Files.writeString(dir.resolve("target_features.txt"), s.targetFeatures()
        .stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")) + "\n");
  }

  /**
   * Appends the specs the PyTorch reference rebuilds to {@code specs.csv} in {@code dir} (header
   * written when the file is new): kind, spec source, batch, hidden sizes and quantile levels
   * (';'-separated), dropout, residual, learning rate, gradient clip, convolution filters and
   * kernel (0 for kinds without one), lookback used (0: all).
   */
  static void exportSpec(java.nio.file.Path dir, String source, ModelSpec spec)
      throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Path file = dir.resolve("specs.csv");
    StringBuilder b = new StringBuilder();
    if (!java.nio.file.Files.exists(file)) {
      b.append("kind,spec,batch,units,quantiles,dropout,residual,learning_rate,gradient_clip,"
          + "filters,kernel,lookback_used\n");
    }
    Convolution c = spec.params() instanceof Convolution conv ? conv : null;
    b.append(String.join(",", spec.kind().id(), source,
        String.valueOf(spec.training().batchSize()), joined(spec.units()),
        joined(spec.quantiles()), String.valueOf(spec.dropout()),
        String.valueOf(spec.residual()), String.valueOf(spec.training().learningRate()),
        String.valueOf(spec.training().gradientClip()),
        String.valueOf(c == null ? 0 : c.filters()), String.valueOf(c == null ? 0 : c.kernel()),
        String.valueOf(spec.lookbackUsed()))).append('\n');
    java.nio.file.Files.writeString(file, b, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static String joined(List<?> values) {
    return values.stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(";"));
  }

  private static void writeFloats(java.nio.file.Path file, org.nd4j.linalg.api.ndarray.INDArray a)
      throws java.io.IOException {
    float[] v = a.data().asFloat();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    java.nio.file.Files.write(file, b.array());
  }

  /**
   * Samples/s of a local fit: per second of wall time, per second of the whole JVM's CPU time
   * (what PyTorch's {@code time.process_time()} counts: GC and JIT threads included, so a lone
   * "1-thread" fit is charged for them), and per second of the fitting thread's CPU time. With one
   * ND4J/OpenMP thread the fit runs on the calling thread, so the CPU figures are what the fit
   * gets from the cores it uses: they stay comparable when other processes share the machine,
   * which the wall figure does not.
   */
  record LocalRate(double wallSamplesPerSecond, double cpuSamplesPerSecond,
      double threadCpuSamplesPerSecond) {}

  /** Plain local fit on one ND4J thread (OMP_NUM_THREADS=1 must be set for the JVM). */
  static double localFit(Pool pool, ModelSpec spec, int epochs) {
    return localFitRate(pool, spec, epochs).wallSamplesPerSecond();
  }

  /** As {@link #localFit}, with the CPU-time figures too. */
  static LocalRate localFitRate(Pool pool, ModelSpec spec, int epochs) {
    oneThread();
    LocalFitter fitter = new LocalFitter(spec.kind().build(spec, pool.shape(), 1), spec,
        pool.shape(), pool.inputs(), pool.targets(), List.of(), List.of());
    return timed(pool.inputs().size(), epochs, fitter::fitEpoch);
  }

  /**
   * A panel kind's local fit ({@link PanelFitter}, every panel {@code nodes} wide) on one ND4J
   * thread, in panels per second (multiply by the node count for node-windows per second).
   */
  static LocalRate panelFitRate(ModelSpec spec, PanelPool pool, int epochs) {
    oneThread();
    PanelFitter fitter = new PanelFitter(spec.kind().build(spec, pool.shape(), pool.nodes()),
        spec, pool.shape(), pool.nodes(), pool.panels(), List.of());
    return timed(pool.panels().size(), epochs, fitter::fitEpoch);
  }

  private static void oneThread() {
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    Nd4j.getEnvironment().setMaxThreads(1);
  }

  /** One untimed warm-up epoch (0), then epochs 1..{@code epochs} timed. */
  private static LocalRate timed(int samplesPerEpoch, int epochs, IntConsumer fitEpoch) {
    fitEpoch.accept(0);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long thread0 = threads.getCurrentThreadCpuTime();
    long process0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int e = 1; e <= epochs; e++) {
      fitEpoch.accept(e);
    }
    double samples = samplesPerEpoch * (double) epochs;
    return new LocalRate(samples / ((System.nanoTime() - t0) / 1e9),
        samples / ((os.getProcessCpuTime() - process0) / 1e9),
        samples / ((threads.getCurrentThreadCpuTime() - thread0) / 1e9));
  }

  /** DL4J parameter averaging over the pool, one worker per Spark task slot. */
  static double parameterAveraging(SparkSession spark, Pool pool, ModelSpec spec,
      int epochs, int averagingFrequency) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int batch = spec.training().batchSize();
    List<DataSet> batches = new ArrayList<>();
    for (int from = 0; from < pool.inputs().size(); from += batch) {
      int to = Math.min(pool.inputs().size(), from + batch);
      batches.add(io.tracecast.training.network.WindowTensors.dataSet(
          pool.inputs().subList(from, to), pool.targets().subList(from, to), pool.shape(), spec));
    }
    JavaRDD<DataSet> rdd = jsc.parallelize(batches, jsc.defaultParallelism())
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      SparkComputationGraph net = new SparkComputationGraph(jsc,
          spec.kind().build(spec, pool.shape(), 1),
          new ParameterAveragingTrainingMaster.Builder(batch).batchSizePerWorker(batch)
              .averagingFrequency(averagingFrequency).workerPrefetchNumBatches(0)
              .saveUpdater(true).rngSeed(spec.training().seed())
              .rddTrainingApproach(RDDTrainingApproach.Direct).build());
      net.fit(rdd);
      long t0 = System.nanoTime();
      for (int e = 1; e <= epochs; e++) {
        net.fit(rdd);
      }
      return pool.inputs().size() * (double) epochs / ((System.nanoTime() - t0) / 1e9);
    } finally {
      rdd.unpersist();
    }
  }

  /**
   * Packed training of the given jobs with exactly {@code epochs} epochs each (patience equal to
   * the epochs, so early stopping never cuts a job short), after an untimed warm-up run.
   */
  static double packed(SparkSession spark, String dataset, List<String> jobs,
      TrainSettings settings, String registryRoot) {
    TrainJob.run(spark, new TrainRequest(dataset, registryRoot + "/warmup", jobs.subList(0, 1),
        settings));
    TrainResult r = TrainJob.run(spark, new TrainRequest(dataset, registryRoot + "/timed", jobs,
        settings));
    if (!r.failed().isEmpty()) {
      throw new IllegalStateException("packed benchmark: failed " + r.failed());
    }
    Manifest m = DatasetReader.open(spark, dataset).manifest();
    double samples = 0;
    for (JobOutcome o : r.published()) {
      long windows = m.series().stream().filter(s -> s.jobId().equals(o.job()))
          .mapToLong(s -> s.windows().getOrDefault(Split.TRAIN.label(), 0L)).sum();
      samples += windows * (double) o.epochs();
    }
    return samples / r.wallSeconds();
  }

  /**
   * graph_gru training throughput in panels per second (multiply by the node count for
   * node-windows per second): one untimed warm-up epoch, then {@code epochs} timed epochs of
   * {@link PanelFitter} over {@code panels}, in this thread with ND4J's current thread limits.
   */
  static double graphPanelsPerSecond(ModelSpec spec, NetworkShape shape, List<Panel> panels,
      int epochs) {
    int nodes = panels.get(0).nodes();
    PanelFitter fitter = new PanelFitter(spec.kind().build(spec, shape, nodes), spec, shape,
        nodes, panels, List.of());
    return timed(panels.size(), epochs, fitter::fitEpoch).wallSamplesPerSecond();
  }
}
