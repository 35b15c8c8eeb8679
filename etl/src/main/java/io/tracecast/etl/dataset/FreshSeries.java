package io.tracecast.etl.dataset;

import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.SeriesCleaner;
import io.tracecast.etl.source.Metric;
import io.tracecast.etl.source.MachineGrouping;
import io.tracecast.etl.source.RowLimits;
import io.tracecast.etl.source.SeriesChunk;
import io.tracecast.etl.source.SourceContext;
import io.tracecast.etl.source.TraceFileReader;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import io.tracecast.etl.source.VmTable;
import io.tracecast.etl.window.SlidingWindows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Fresh raw trace files (say, the latest hours of the same machines) read and cleaned exactly as
 * a dataset's inputs were: the manifest's source format, time origin, VM table, grouping, row
 * limits, step and gap rule ({@code manifest.settings}), by the ETL's own reader and
 * {@link SeriesCleaner}, into rows with the series table's columns in original units. Nothing is
 * refitted: {@link DatasetReader#latestWindows(SparkSession, Dataset)} scales them with the
 * dataset's scalers and series scales, so every series must be one the dataset knows.
 *
 * <p>A file that cannot be used as a whole fails the call naming it (the reader's
 * {@code BadFileException}); rows the reader quarantines are left out, as the ETL leaves them out
 * of its series. Every point is labelled {@link Split#BEYOND_THE_DATA}: none of it was trained on.
 */
final class FreshSeries {
  private FreshSeries() {}

  /** The cleaned series of {@code inputs} (files, directories or globs of the dataset's format). */
  static Dataset<Row> read(SparkSession spark, Manifest m, String root, List<String> inputs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TraceFormat format = TraceFormats.byName(m.source());
    Settings s = Settings.of(m, root);
    TraceFileReader reader = new TraceFileReader(format, new SourceContext(
        Instant.parse(m.timeOrigin()).toEpochMilli() * 1000,
        s.vmTable().isEmpty() ? Map.of() : VmTable.load(s.vmTable(), conf),
        MachineGrouping.of(s.grouping(), conf)), s.limits(format, m.targets()));
    SeriesCleaner cleaner = new SeriesCleaner(m.stepSeconds() * 1_000_000L, s.maxGapSteps());
    List<String> paths = io.tracecast.etl.source.InputFiles.expand(inputs, conf).stream()
        .map(Manifest.InputFile::path).toList();
    HadoopConfSnapshot snapshot = new HadoopConfSnapshot(conf);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<CleanedSeries> series = jsc.parallelize(paths, Math.max(1, paths.size()))
        .flatMap(p -> reader.read(p, snapshot.get()).chunks().iterator())
        .mapToPair(c -> new scala.Tuple2<>(c.key(), c))
        .reduceByKey(SeriesChunk::concat, jsc.defaultParallelism())
        .values()
        .map(cleaner::clean);
    // read again by each use (ids here; windows and baselines later) rather than cached:
    // fresh files are hours, not months, and a cache would outlive the call
    requireKnown(series.map(c -> c.jobId() + "/" + c.seriesId()).collect(), m, root, inputs);
    List<Metric> metrics = format.metrics();
    // every point after both split boundaries: test, Split.BEYOND_THE_DATA
    SlidingWindows.SeriesPlan beyond = new SlidingWindows.SeriesPlan(0, 0,
        new long[Split.values().length], 0, 0, new long[0][]);
    return SeriesTable.frame(spark, series.flatMap(c -> SeriesTable.points(c, metrics, beyond)),
        metrics).drop(DatasetLayout.JOB_PARTITION);
  }

  /** Fails naming every fresh series the dataset does not know (no scalers, no scales). */
  private static void requireKnown(List<String> fresh, Manifest m, String root,
      List<String> inputs) {
    Set<String> known = new java.util.HashSet<>();
    m.series().forEach(e -> known.add(e.jobId() + "/" + e.seriesId()));
    Set<String> unknown = new TreeSet<>(fresh);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("series " + unknown + " of " + inputs
          + " are not in dataset " + root + " (job/series): a forecast needs the dataset's "
          + "scalers and scales of each series; run the ETL with these series first");
    }
    if (fresh.isEmpty()) {
      throw new IllegalArgumentException(inputs + ": no series with accepted rows");
    }
  }

  /** What the ETL of the dataset ran with, from {@code manifest.settings}. */
  private record Settings(String vmTable, String grouping, int maxGapSteps,
      double maxUsageFraction, Instant minTime, Instant maxTime, int maxLineChars) {

    static Settings of(Manifest m, String root) {
      Map<String, Object> s = m.settings();
      return new Settings(String.valueOf(s.getOrDefault("vmTable", "")),
          s.get("grouping") == null ? null : String.valueOf(s.get("grouping")),
          number(s, "maxGapSteps", root).intValue(),
          number(s, "maxUsageFraction", root).doubleValue(),
          Instant.parse(text(s, "minTime", root)), Instant.parse(text(s, "maxTime", root)),
          number(s, "maxLineChars", root).intValue());
    }

    RowLimits limits(TraceFormat format, List<String> targets) {
      return RowLimits.of(maxUsageFraction, minTime, maxTime, maxLineChars, format.metrics(),
          targets);
    }

    private static Number number(Map<String, Object> s, String key, String root) {
      if (!(s.get(key) instanceof Number n)) {
        throw new IllegalArgumentException(root + "/manifest.json: settings." + key
            + " is missing or not a number; re-run the ETL to read fresh files like it");
      }
      return n;
    }

    private static String text(Map<String, Object> s, String key, String root) {
      if (!(s.get(key) instanceof String t)) {
        throw new IllegalArgumentException(root + "/manifest.json: settings." + key
            + " is missing; re-run the ETL to read fresh files like it");
      }
      return t;
    }
  }
}
