package io.tracecast.etl;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.feature.CalendarFeature;
import java.io.File;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The invariants every dataset written by {@link EtlJob} must hold, checked against its files. */
public final class DatasetAssertions {
  private DatasetAssertions() {}

  /**
   * Reads the dataset at {@code dir} back through {@link DatasetReader} and checks it against
   * the manifest the run returned: row reconciliation, windows per split and per series, window
   * shapes, quarantine, series and jobs, split boundaries (also against the windows' end times),
   * and scalers per job (against an independent computation on the series table).
   */
  public static Manifest assertConsistent(SparkSession spark, String dir, Manifest returned,
      long expectedSeries, long expectedJobs) {
    DatasetReader reader = DatasetReader.open(spark, dir);
    Manifest m = reader.manifest();
    assertEquals(returned.fingerprint(), m.fingerprint());
    assertEquals(returned.counts(), m.counts(), "manifest.json holds the returned counts");
    assertEquals(returned.scalers(), m.scalers(), "manifest.json holds the returned scalers");
    assertEquals(returned.series(), m.series());

    Manifest.Counts c = m.counts();
    assertEquals(c.rowsRead(), c.rowsAccepted() + c.rowsQuarantined(), "rows reconcile");
    CleaningStats cleaning = c.cleaning();
    assertEquals(c.rowsAccepted(), cleaning.rowsIn(), "cleaning sees every accepted row");
    assertEquals(cleaning.rowsIn(), cleaning.exactDuplicatesDropped()
        + cleaning.duplicateTimestampsMerged() + cleaning.rowsMergedIntoSteps()
        + cleaning.stepsObserved(), "cleaning accounts for every row");
    assertTrue(c.rowsAccepted() > 0);
    assertEquals(c.quarantinedByReason().values().stream().mapToLong(Long::longValue).sum(),
        c.rowsQuarantined());
    assertEquals(c.filesSkipped(), m.skippedFiles().size());
    assertEquals(m.inputs().size(), c.filesRead() + c.filesSkipped());

    // series and jobs
    assertEquals(expectedSeries, c.series(), "series");
    assertEquals(expectedJobs, c.jobs(), "jobs");
    assertEquals(c.series(), m.series().size());
    assertEquals(c.jobs(), m.jobs().size());
    Row seriesCounts = reader.series(spark)
        .agg(count("*"), countDistinct(col("job_id"), col("series_id"))).first();
    assertEquals(c.series(), seriesCounts.getLong(1));
    assertEquals(m.series().stream().mapToLong(Manifest.SeriesEntry::points).sum(),
        seriesCounts.getLong(0), "series table has one row per cleaned point");
    assertEquals(cleaning.stepsObserved() + cleaning.stepsInterpolated(), seriesCounts.getLong(0));
    assertEquals(cleaning.segments(),
        m.series().stream().mapToLong(Manifest.SeriesEntry::segments).sum());

    // windows: manifest totals, per-split Parquet counts, per-series counts, shapes
    int inputLength = m.lookback() * m.features().size();
    int targetLength = m.horizon() * m.targets().size();
    Map<String, Long> perSeriesEntry = new HashMap<>();
    Map<String, Manifest.SeriesEntry> entries = new HashMap<>();
    for (Manifest.SeriesEntry e : m.series()) {
      entries.put(e.jobId() + "/" + e.seriesId(), e);
    }
    // one Spark job over the three splits as DatasetReader returns them
    Dataset<Row> all = null;
    for (Split split : Split.values()) {
      Dataset<Row> w = reader.windows(spark, split).withColumn("split", lit(split.label()));
      all = all == null ? w : all.unionByName(w);
    }
    Map<String, Long> counted = new HashMap<>();
    for (Row r : all.groupBy("split", "job_id", "series_id")
        .agg(count("*").as("n"), min("end_time").as("first"), max("end_time").as("last"),
            min(size(col("inputs"))).as("in_min"), max(size(col("inputs"))).as("in_max"),
            min(size(col("targets"))).as("t_min"), max(size(col("targets"))).as("t_max"))
        .collectAsList()) {
      Split split = Split.fromLabel(r.getString(0));
      String key = r.getString(1) + "/" + r.getString(2);
      Manifest.SeriesEntry e = entries.get(key);
      assertNotNull(e, "windows of a series the manifest does not list: " + key);
      long n = r.getLong(3);
      counted.merge(split.label(), n, Long::sum);
      assertEquals(e.windows().get(split.label()), n, split + " windows of " + key);
      assertEquals(inputLength, r.getInt(6), "inputs = lookback x features");
      assertEquals(inputLength, r.getInt(7));
      assertEquals(targetLength, r.getInt(8), "targets = horizon x targets");
      assertEquals(targetLength, r.getInt(9));
      assertWindowTimesInsideTheirSplit(m, e, split, r.getTimestamp(4), r.getTimestamp(5));
    }
    for (Split split : Split.values()) {
      long expected = c.windows().get(split.label());
      assertEquals(expected, m.series().stream()
          .mapToLong(e -> e.windows().get(split.label())).sum(), "series windows add up");
      assertEquals(expected, counted.getOrDefault(split.label(), 0L),
          split + " windows in the manifest vs Parquet");
    }

    assertGraphs(m, all);

    // quarantine
    Map<String, Long> byReason = new TreeMap<>();
    for (Row r : reader.quarantine(spark).groupBy("reason").count().collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    assertEquals(c.rowsQuarantined(),
        byReason.values().stream().mapToLong(Long::longValue).sum(), "quarantine rows");
    assertEquals(new TreeMap<>(c.quarantinedByReason()), byReason);

    // split boundaries are ordered within every series
    for (Manifest.SeriesEntry e : m.series()) {
      Instant start = Instant.parse(e.start());
      Instant end = Instant.parse(e.end());
      Instant trainEnd = e.trainEnd() == null ? null : Instant.parse(e.trainEnd());
      Instant validationEnd = e.validationEnd() == null ? null : Instant.parse(e.validationEnd());
      assertFalse(end.isBefore(start), e.toString());
      if (trainEnd != null) {
        assertFalse(trainEnd.isBefore(start), e.toString());
        assertFalse(trainEnd.isAfter(end), e.toString());
      }
      if (validationEnd != null) {
        assertNotNull(trainEnd, e.toString());
        assertFalse(validationEnd.isBefore(trainEnd), e.toString());
        assertFalse(validationEnd.isAfter(end), e.toString());
      }
    }

    assertScalers(spark, reader, m);
    assertNoStagingLeftBehind(dir);
    return m;
  }

  /**
   * Every series is a node of exactly one graph of its job, nodes sorted, no graph above
   * panels.max-nodes, and each graph's panel count per split is the number of distinct end times
   * of its nodes' windows, counted here from the windows as the reader returns them.
   */
  private static void assertGraphs(Manifest m, Dataset<Row> windows) {
    int maxNodes = ((Number) m.settings().get("panelMaxNodes")).intValue();
    Map<String, String> graphOf = new HashMap<>();
    Set<String> graphIds = new HashSet<>();
    for (Manifest.Graph g : m.graphs()) {
      assertTrue(graphIds.add(g.graphId()), "graph ids are unique: " + g.graphId());
      assertTrue(g.nodeCount() <= maxNodes, g.graphId() + " has " + g.nodeCount() + " nodes");
      assertEquals(g.nodes().stream().sorted().toList(), g.nodes(), "nodes sorted");
      assertTrue(g.graphId().equals(g.jobId())
          || g.graphId().startsWith(g.jobId() + Manifest.Graph.SUBGRAPH_SEPARATOR), g.graphId());
      assertEquals(0, g.panelsAllMasked());
      for (String node : g.nodes()) {
        assertEquals(null, graphOf.put(g.jobId() + "/" + node, g.graphId()),
            "series in two graphs: " + node);
      }
    }
    assertEquals(m.series().stream().map(e -> e.jobId() + "/" + e.seriesId())
        .collect(Collectors.toSet()), graphOf.keySet(), "every series is a node");
    Map<String, Map<String, Set<Timestamp>>> ends = new HashMap<>();
    for (Row r : windows.select("split", "job_id", "series_id", "end_time").collectAsList()) {
      ends.computeIfAbsent(graphOf.get(r.getString(1) + "/" + r.getString(2)),
          g -> new HashMap<>()).computeIfAbsent(r.getString(0), s -> new HashSet<>())
          .add(r.getTimestamp(3));
    }
    for (Manifest.Graph g : m.graphs()) {
      for (Split split : Split.values()) {
        assertEquals(ends.getOrDefault(g.graphId(), Map.of())
                .getOrDefault(split.label(), Set.of()).size(),
            g.panels().getOrDefault(split.label(), 0L), split + " panels of " + g.graphId());
      }
    }
  }

  /** Targets of train windows lie before trainEnd, of test windows at or after validationEnd. */
  private static void assertWindowTimesInsideTheirSplit(Manifest m, Manifest.SeriesEntry e,
      Split split, Timestamp first, Timestamp last) {
    long step = m.stepSeconds();
    Instant firstTarget = first.toInstant().plusSeconds(step);
    Instant lastTarget = last.toInstant().plusSeconds(step * m.horizon());
    Instant trainEnd = e.trainEnd() == null ? Instant.MAX : Instant.parse(e.trainEnd());
    Instant validationEnd =
        e.validationEnd() == null ? Instant.MAX : Instant.parse(e.validationEnd());
    Instant lower = switch (split) {
      case TRAIN -> Instant.MIN;
      case VALIDATION -> trainEnd;
      case TEST -> validationEnd;
    };
    Instant upper = switch (split) {
      case TRAIN -> trainEnd;
      case VALIDATION -> validationEnd;
      case TEST -> Instant.MAX;
    };
    assertFalse(firstTarget.isBefore(lower), split + " target before its split in " + e);
    assertTrue(lastTarget.isBefore(upper), split + " target after its split in " + e);
    assertFalse(first.toInstant().isBefore(Instant.parse(e.start())));
    assertFalse(last.toInstant().isAfter(Instant.parse(e.end())));
  }

  /**
   * Every job with train points has a scaler per feature and target column: identity for
   * calendar features, and for metrics the statistics of the job's train points, recomputed
   * here with commons-math from the series table.
   */
  private static void assertScalers(SparkSession spark, DatasetReader reader, Manifest m) {
    Set<String> columns = new HashSet<>(m.features());
    columns.addAll(m.targets());
    List<String> metrics = columns.stream().filter(f -> !CalendarFeature.isCalendar(f))
        .filter(f -> !f.contains("_lag_")).sorted().toList();
    assertEquals(m.counts().jobs() - m.counts().jobsWithoutTrainData(), m.scalers().size());
    assertTrue(m.jobs().containsAll(m.scalers().keySet()));
    List<String> select = new ArrayList<>(List.of("job_id"));
    select.addAll(metrics);
    Map<String, Map<String, SummaryStatistics>> stats = new HashMap<>();
    for (Row r : reader.series(spark).where(col("split").equalTo("train"))
        .selectExpr(select.toArray(new String[0])).collectAsList()) {
      Map<String, SummaryStatistics> job =
          stats.computeIfAbsent(r.getString(0), j -> new HashMap<>());
      for (int i = 0; i < metrics.size(); i++) {
        if (!r.isNullAt(i + 1)) {
          job.computeIfAbsent(metrics.get(i), x -> new SummaryStatistics())
              .addValue(r.getDouble(i + 1));
        }
      }
    }
    Map<String, String> lagChannels = new HashMap<>();
    for (io.tracecast.etl.dataset.SeasonalLag lag : m.lags()) {
      m.targets().forEach(t -> lagChannels.put(lag.channel(t), t));
    }
    for (Map.Entry<String, Map<String, Scaler>> job : m.scalers().entrySet()) {
      assertEquals(columns, job.getValue().keySet(), "scaler columns of job " + job.getKey());
      for (String column : columns) {
        Scaler s = job.getValue().get(column);
        if (lagChannels.containsKey(column)) {
          assertEquals(job.getValue().get(lagChannels.get(column)), s,
              "a seasonal lag channel shares its target's scaler: " + column);
          continue;
        }
        if (CalendarFeature.isCalendar(column)) {
          assertTrue(s.isIdentity(), column);
          continue;
        }
        SummaryStatistics st = stats.get(job.getKey()).get(column);
        String what = "scaler " + job.getKey() + "/" + column;
        assertEquals(st.getN(), s.fittedOn(), what);
        assertEquals(st.getMin(), s.min(), 0, what);
        assertEquals(st.getMax(), s.max(), 0, what);
        double tol = 1e-9 * Math.max(1, Math.abs(st.getMean()));
        assertEquals(st.getMean(), s.mean(), tol, what);
        assertEquals(Math.sqrt(st.getPopulationVariance()), s.std(), 1e-9 * Math.max(1,
            s.std()), what);
        String kind = m.scalerKind();
        if (kind.equals("minmax")) {
          assertEquals(st.getMin(), s.offset(), 0, what);
          assertEquals(st.getMax() > st.getMin() ? st.getMax() - st.getMin() : 1, s.scale(),
              1e-12, what);
        } else {
          assertEquals(st.getMean(), s.offset(), tol, what);
        }
      }
    }
  }

  /** No hidden staging or replaced-dataset sibling stays next to the output. */
  public static void assertNoStagingLeftBehind(String dir) {
    File out = new File(dir);
    File[] leftovers = out.getAbsoluteFile().getParentFile()
        .listFiles((d, name) -> name.startsWith("." + out.getName() + "."));
    assertEquals(List.of(), leftovers == null ? List.of()
        : java.util.Arrays.stream(leftovers).map(File::getName).collect(Collectors.toList()),
        "staging directories left next to " + dir);
  }
}
