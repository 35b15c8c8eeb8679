package io.tracecast.etl;

import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.INPUTS;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SEGMENT;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.SPLIT;
import static io.tracecast.etl.dataset.WindowSchema.TARGETS;
import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.SeriesCleaner;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.config.EtlSettingsParser;
import io.tracecast.common.PausePoint;
import io.tracecast.common.StagedCommit;
import io.tracecast.etl.dataset.DatasetLayout;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.ManifestIo;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.SeriesTable;
import io.tracecast.etl.dataset.WindowRecord;
import io.tracecast.etl.feature.ScalerFitter;
import io.tracecast.etl.feature.SeriesScales;
import io.tracecast.etl.graph.GraphPlanner;
import io.tracecast.etl.graph.PanelCounter;
import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.QuarantineSchema;
import io.tracecast.etl.source.FileParse;
import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.etl.source.InputFiles;
import io.tracecast.etl.source.MachineGrouping;
import io.tracecast.etl.source.RowLimits;
import io.tracecast.etl.source.SeriesChunk;
import io.tracecast.etl.source.SourceContext;
import io.tracecast.etl.source.TraceFileReader;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import io.tracecast.etl.source.VmTable;
import io.tracecast.etl.window.SlidingWindows;
import io.tracecast.etl.window.WindowSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETL stage's entry point: raw trace files in, a windowed Parquet dataset with its
 * manifest out (see {@link DatasetLayout}). Reading is one Spark task per input file; series
 * are assembled from columnar chunks (no shuffle when each file holds whole series), cleaned
 * and planned once and cached, then written as the series table, the windows and the
 * quarantine, all under a staging directory that is renamed into place at the end.
 */
public final class EtlJob {
  private static final Logger LOG = LoggerFactory.getLogger(EtlJob.class);

  private EtlJob() {}

  public static Manifest run(SparkSession spark, EtlRequest request) {
    EtlSettings settings = request.settings();
    TraceFormat format = TraceFormats.byName(request.source());
    EtlSettings.SourceSettings source = settings.source(format.name());
    WindowSpec spec = new WindowSpec(settings.lookback(), settings.horizon(), settings.stride(),
        source.features(), source.targets(), settings.lags());
    SlidingWindows windows = new SlidingWindows(spec, format.metrics(),
        settings.trainFraction(), settings.validationFraction(), request.backtestFold());
    // Parquet readers outside Spark understand INT64 micros; Spark's default INT96 is legacy.
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<Manifest.InputFile> inputs = InputFiles.expand(request.inputs(), hadoopConf);
    StagedCommit commit = StagedCommit.begin(request.output(), request.overwrite(), hadoopConf);
    if (source.grouping() != null && !format.defaults().acceptsGrouping()) {
      throw new IllegalArgumentException(
          EtlSettingsParser.sourceKey(format.name(), EtlSettingsParser.GROUPING) + ": no grouping, "
          + format.name() + "'s trace names the job of each series");
    }
    SourceContext context = new SourceContext(source.timeOrigin().toEpochMilli() * 1000,
        request.vmTable().map(t -> VmTable.load(t, hadoopConf)).orElse(Map.of()),
        MachineGrouping.of(
            format.defaults().effectiveGrouping(source.grouping()).orElse(null), hadoopConf));
    RowLimits limits = rowLimits(settings, format);
    LOG.info("etl {}: {} input files -> {}{}", format.name(), inputs.size(), commit.target(),
        request.backtestFold().map(f -> " (backtest fold " + f.label() + ")").orElse(""));
    List<JavaRDD<?>> cached = new ArrayList<>();
    try {
      Run run = new Run(spark, format, settings, spec, windows, commit.staging(), cached);
      Manifest manifest = run.execute(inputs, new TraceFileReader(format, context, limits),
          request, context.vmTable());
      commit.commit();
      LOG.info("etl {}: committed {} ({} rows read, {} quarantined, windows {})", format.name(),
          commit.target(), manifest.counts().rowsRead(), manifest.counts().rowsQuarantined(),
          manifest.counts().windows());
      return manifest;
    } catch (RuntimeException e) {
      commit.abort();
      throw e;
    } finally {
      cached.forEach(JavaRDD::unpersist);
    }
  }

  /** The plausibility limits every row of {@code format} is held to under {@code settings}. */
  static RowLimits rowLimits(EtlSettings settings, TraceFormat format) {
    return RowLimits.of(settings.maxUsageFraction(), settings.minTime(), settings.maxTime(),
        settings.maxLineChars(), format.metrics(), settings.source(format.name()).targets());
  }

  /** State of one run; split out so each step stays small. */
  private static final class Run {
    private final SparkSession spark;
    private final JavaSparkContext jsc;
    private final TraceFormat format;
    private final EtlSettings settings;
    private final WindowSpec spec;
    private final SlidingWindows windows;
    private final String staging;
    private final List<JavaRDD<?>> cached;

    Run(SparkSession spark, TraceFormat format, EtlSettings settings, WindowSpec spec,
        SlidingWindows windows, String staging, List<JavaRDD<?>> cached) {
      this.spark = spark;
      this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      this.format = format;
      this.settings = settings;
      this.spec = spec;
      this.windows = windows;
      this.staging = staging;
      this.cached = cached;
    }

    Manifest execute(List<Manifest.InputFile> inputs, TraceFileReader reader,
        EtlRequest request, Map<String, SourceContext.VmInfo> vmTable) {
      HadoopConfSnapshot conf = new HadoopConfSnapshot(spark.sparkContext().hadoopConfiguration());
      List<String> paths = inputs.stream().map(Manifest.InputFile::path).toList();
      JavaRDD<FileParse> parsed = jsc.parallelize(paths, Math.max(1, paths.size()))
          .map(path -> readOrSkip(reader, path, conf));
      persist(parsed);

      long t0 = System.nanoTime();
      List<FileSummary> files = parsed.map(FileSummary::of).collect();
      failOnBadFiles(files);
      lap("read", t0);

      long t1 = System.nanoTime();
      writeQuarantine(parsed);
      lap("quarantine", t1);

      JavaRDD<SeriesChunk> chunks = parsed.flatMap(p -> p.chunks().iterator());
      if (format.seriesPerFile() && FileSummary.seriesAreFileLocal(files)) {
        // One task per file is right for reading, but writes want fewer, larger files.
        chunks = chunks.coalesce(Math.min(paths.size(), jsc.defaultParallelism() * 4));
      } else {
        chunks = chunks.mapToPair(c -> new scala.Tuple2<>(c.key(), c))
            .reduceByKey(SeriesChunk::concat, jsc.defaultParallelism())
            .values();
      }
      SeriesCleaner cleaner = new SeriesCleaner(settings.step().toNanos() / 1000,
          settings.maxGapSteps());
      SlidingWindows w = windows;
      SeriesScales seriesScales = new SeriesScales(spec.scaledColumns(), format.metrics());
      // Scales come from the series while it is at hand: no extra pass over the data.
      JavaRDD<Planned> planned = chunks.map(c -> {
        SlidingWindows.Cut cut = w.cut(cleaner.clean(c));
        return new Planned(cut.series(), cut.plan(),
            seriesScales.of(cut.series(), cut.plan().trainEnd()));
      });
      persist(planned);

      long t2 = System.nanoTime();
      List<io.tracecast.etl.source.Metric> metrics = format.metrics();
      SeriesTable.frame(spark,
              planned.flatMap(p -> SeriesTable.points(p.series(), metrics, p.plan())), metrics)
          // Dictionaries pay off for the repeated ids, not for unique times and measurements.
          .write().mode(SaveMode.ErrorIfExists).option("parquet.enable.dictionary", "false")
          .option("parquet.enable.dictionary#job_id", "true")
          .option("parquet.enable.dictionary#series_id", "true")
          .option("parquet.enable.dictionary#split", "true")
          .partitionBy(DatasetLayout.JOB_PARTITION)
          .parquet(staging + "/" + DatasetLayout.SERIES);
      PausePoint.reach("etl.series");
      lap("clean + series", t2);

      long t3 = System.nanoTime();
      Map<String, Map<String, Scaler>> scalers = new ScalerFitter(spec.features(),
          spec.scaledColumns(), format.metrics(), settings.scaler(), spec.lagChannels())
          .fit(planned.mapToPair(p -> new scala.Tuple2<>(p.series(), p.plan().trainEnd())));
      lap("scalers", t3);
      long t4 = System.nanoTime();
      writeWindows(planned, scalers);
      lap("windows", t4);

      List<SeriesSummary> series = planned.map(SeriesSummary::of).collect();
      long t5 = System.nanoTime();
      List<Manifest.Graph> graphs = graphs(planned, series, scalers.keySet());
      lap("graphs + panel counts", t5);
      Manifest manifest = new ManifestBuilder(format, settings, spec, request, inputs)
          .build(files, series, scalers, vmTable, graphs);
      ManifestIo.write(manifest, staging, spark.sparkContext().hadoopConfiguration());
      return manifest;
    }

    /**
     * The panel graphs of every job, with their panel counts per split (distinct window end
     * times of each graph's nodes, {@link PanelCounter}), from the cached plans: no read-back.
     */
    private List<Manifest.Graph> graphs(JavaRDD<Planned> planned, List<SeriesSummary> series,
        java.util.Set<String> jobsWithWindows) {
      long t0 = System.nanoTime();
      Map<String, List<String>> byJob = new java.util.TreeMap<>();
      series.forEach(s -> byJob.computeIfAbsent(s.jobId(), j -> new ArrayList<>())
          .add(s.seriesId()));
      GraphPlanner planner = new GraphPlanner(settings.panelMaxNodes());
      java.util.Set<String> toSplit = java.util.Set.copyOf(planner.jobsToSplit(byJob));
      int target = format.metrics().indexOf(
          io.tracecast.etl.source.Metric.fromColumn(spec.targets().get(0)));
      List<GraphPlanner.TrainProfile> profiles = toSplit.isEmpty() ? List.of()
          : planned.filter(p -> toSplit.contains(p.series().jobId()))
              .map(p -> GraphPlanner.TrainProfile.of(p.series(), p.plan().trainEnd(), target))
              .collect();
      lap("train profiles of " + profiles.size() + " series", t0);
      List<Manifest.Graph> graphs = planner.plan(byJob, profiles);
      lap("graphs (" + toSplit.size() + " jobs split)", t0);
      PanelCounter counter = new PanelCounter(graphs);
      Broadcast<PanelCounter> bc = jsc.broadcast(counter);
      java.util.Set<String> written = java.util.Set.copyOf(jobsWithWindows);
      SlidingWindows w = windows;
      Map<String, long[]> ends = planned
          .mapPartitionsToPair(ps -> {
            Iterable<Planned> partition = () -> ps;
            Iterator<PanelCounter.Input> inputs = java.util.stream.StreamSupport
                .stream(partition.spliterator(), false)
                .map(p -> new PanelCounter.Input(p.series(), p.plan(),
                    written.contains(p.series().jobId())))
                .iterator();
            return bc.value().endTimes(inputs, w).entrySet().stream()
                .map(e -> new scala.Tuple2<>(e.getKey(), e.getValue())).iterator();
          })
          .reduceByKey(PanelCounter::union)
          .collectAsMap();
      Map<String, Map<String, Long>> panels = PanelCounter.counts(graphs, ends);
      // from windows, a panel exists only where some node has a window: none is all masked
      return graphs.stream().map(g -> g.withPanels(panels.get(g.graphId()), 0)).toList();
    }

    private static FileParse readOrSkip(TraceFileReader reader, String path,
        HadoopConfSnapshot conf) {
      try {
        return reader.read(path, conf.get());
      } catch (BadFileException e) {
        // Decided on the driver: fail the run with this message, or count the skip.
        return FileParse.skipped(path, e.reason(), e.detail());
      }
    }

    private void failOnBadFiles(List<FileSummary> files) {
      if (settings.skipBadFiles()) {
        return;
      }
      for (FileSummary f : files) {
        if (f.skipReason() != null) {
          throw new BadFileException(f.file(), f.skipReason(), f.skipDetail()
              + " (set tracecast.etl.skip-bad-files = true to skip such files)", null);
        }
      }
    }

    private void writeQuarantine(JavaRDD<FileParse> parsed) {
      JavaRDD<Row> rows = parsed.flatMap(p -> p.quarantined().iterator())
          .map(q -> org.apache.spark.sql.RowFactory.create(
              q.file(), q.line(), q.raw(), q.reason().name(), q.detail()));
      spark.createDataFrame(rows, QuarantineSchema.SCHEMA).coalesce(1).write()
          .mode(SaveMode.ErrorIfExists).parquet(staging + "/" + DatasetLayout.QUARANTINE);
    }

    private void writeWindows(JavaRDD<Planned> planned,
        Map<String, Map<String, Scaler>> scalers) {
      Broadcast<Map<String, Map<String, Scaler>>> bc = jsc.broadcast(scalers);
      SlidingWindows w = windows;
      JavaRDD<WindowRecord> records = planned.flatMap(p -> {
        Map<String, Scaler> jobScalers = bc.value().get(p.series().jobId());
        List<WindowRecord> out = new ArrayList<>();
        if (jobScalers != null) {
          CleanedSeries s = p.series();
          w.forEach(s, p.plan(), jobScalers, (split, segment, end, in, target) -> out.add(
              new WindowRecord(s.jobId(), s.seriesId(), segment, end, in, target, split.label())));
        }
        return out.iterator();
      });
      Dataset<WindowRecord> ds = spark.createDataset(records.rdd(),
          Encoders.bean(WindowRecord.class));
      ds.select(functions.col("jobId").as(JOB_ID), functions.col("seriesId").as(SERIES_ID),
              functions.col(SEGMENT), functions.col("endTime").as(END_TIME),
              functions.col(INPUTS), functions.col(TARGETS), functions.col(SPLIT),
              DatasetLayout.jobPartition(functions.col("jobId")))
          // Tensors never repeat: trying a dictionary per page would only cost a hash per row.
          .write().mode(SaveMode.ErrorIfExists).option("parquet.enable.dictionary", "false")
          .option("parquet.enable.dictionary#job_id", "true")
          .option("parquet.enable.dictionary#series_id", "true")
          .partitionBy(SPLIT, DatasetLayout.JOB_PARTITION)
          .parquet(staging + "/" + DatasetLayout.WINDOWS);
    }

    private void lap(String step, long startNanos) {
      LOG.info("etl {}: {} took {} s", format.name(), step,
          String.format("%.1f", (System.nanoTime() - startNanos) / 1e9));
    }

    private void persist(JavaRDD<?> rdd) {
      rdd.persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(rdd);
    }
  }

  /**
   * A cleaned series, its split and window plan, and its scales (column -> typical train step).
   */
  record Planned(CleanedSeries series, SlidingWindows.SeriesPlan plan, Map<String, Double> scales)
      implements Serializable {}
}
