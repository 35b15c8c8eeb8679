package io.tracecast.evaluation.scoring;

import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SEGMENT;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.SPLIT;
import static io.tracecast.etl.dataset.WindowSchema.TS;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.PanelAssembly;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.scoring.BaselineForecaster.BaselineFactory;
import io.tracecast.training.network.NetworkShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Every forecast the evaluation scores, as one Spark dataset of {@link ForecastRow}s: the
 * networks' forecasts of the dataset windows, and the baselines' forecasts of the same points
 * (the baselines run over the series table and are then restricted to the windows' targets).
 */
public final class ForecastTable {
  public static final Encoder<ForecastRow> ENCODER = Encoders.bean(ForecastRow.class);

  private ForecastTable() {}

  /** Windows of the given splits with a {@code split} column (encoded tensors). */
  public static Dataset<Row> windows(SparkSession spark, DatasetReader reader, List<String> jobs,
      List<Split> splits) {
    Dataset<Row> out = null;
    for (Split s : splits) {
      Dataset<Row> w = reader.encodedWindows(spark, s, jobs).withColumn(SPLIT, lit(s.label()));
      out = out == null ? w : out.unionByName(w);
    }
    return out;
  }

  /**
   * The trained models' forecasts of {@code windows} (networks, gradient-boosted and graph
   * models). A graph model scores the panels assembled from the same windows, split by split
   * (as it trained), so it forecasts exactly the windows' points.
   */
  public static Dataset<ForecastRow> trained(SparkSession spark, DatasetReader reader,
      Dataset<Row> windows, String registryRoot, Map<String, List<Candidate>> candidates,
      int batchSize, int threads, ProvisioningSettings headroom) {
    Map<String, List<Candidate>> perWindow = new java.util.TreeMap<>();
    Map<String, List<Candidate>> graph = new java.util.TreeMap<>();
    candidates.forEach((job, cs) -> cs.forEach(c -> (c.graph() ? graph : perWindow)
        .computeIfAbsent(job, j -> new java.util.ArrayList<>()).add(c)));
    Dataset<ForecastRow> out = windows.mapPartitions(
        forecaster(spark, reader, registryRoot, perWindow, batchSize, threads, headroom),
        ENCODER);
    if (graph.isEmpty()) {
      return out;
    }
    TrainedForecaster f = forecaster(spark, reader, registryRoot, graph, batchSize, threads,
        headroom);
    Map<String, List<String>> nodes = new java.util.HashMap<>();
    reader.manifest().graphs().forEach(g -> nodes.put(g.graphId(), g.nodes()));
    PanelAssembly assembly = PanelAssembly.of(reader.manifest());
    Dataset<Row> graphWindows = windows.where(col(JOB_ID).isin(graph.keySet().toArray()));
    for (Split s : Split.values()) {
      Dataset<Row> panels = assembly.assemble(graphWindows.where(col(SPLIT)
          .equalTo(s.label())).drop(SPLIT)).withColumn(SPLIT, lit(s.label()));
      out = out.unionByName(panels.mapPartitions(f.overPanels(nodes), ENCODER));
    }
    return out;
  }

  private static TrainedForecaster forecaster(SparkSession spark, DatasetReader reader,
      String registryRoot, Map<String, List<Candidate>> candidates, int batchSize, int threads,
      ProvisioningSettings headroom) {
    Manifest m = reader.manifest();
    return new TrainedForecaster(registryRoot,
        new HadoopConfSnapshot(spark.sparkContext().hadoopConfiguration()), candidates,
        NetworkShape.of(m), m.targets(), reader.scaling().targetBounds(), m.stepSeconds() * 1000,
        batchSize, threads, headroom);
  }

  /**
   * The baselines' forecasts at exactly the (series, step, target, time) points of
   * {@code windows}.
   */
  public static Dataset<ForecastRow> baselines(SparkSession spark, DatasetReader reader,
      Dataset<Row> windows, List<String> jobs, List<BaselineFactory> baselines,
      ProvisioningSettings headroom, LongAccumulator fallbacks, LongAccumulator guarded) {
    return baselines(spark, reader, windows, jobs, baselines, headroom, fallbacks, guarded,
        null);
  }

  /**
   * The same, where {@code beyond} (rows with the series table's columns: the dataset's, or
   * fresh ones) is non-null and the windows are each of its series' latest
   * ({@code DatasetReader.latestWindows}): the baselines then run over those rows and forecast
   * the steps after their last point ({@link BaselineForecaster#beyondData}), at exactly those
   * windows' points too.
   */
  public static Dataset<ForecastRow> baselines(SparkSession spark, DatasetReader reader,
      Dataset<Row> windows, List<String> jobs, List<BaselineFactory> baselines,
      ProvisioningSettings headroom, LongAccumulator fallbacks, LongAccumulator guarded,
      Dataset<Row> beyond) {
    Manifest m = reader.manifest();
    List<Column> cols = new ArrayList<>(List.of(col(JOB_ID), col(SERIES_ID), col(TS),
        col(SEGMENT), col(SPLIT)));
    m.targets().forEach(t -> cols.add(col(t)));
    Dataset<Row> series = (beyond == null ? reader.series(spark) : beyond)
        .where(col(JOB_ID).isin(jobs.toArray()))
        .select(cols.toArray(Column[]::new));
    Map<String, Manifest.Bounds> bounds = new java.util.HashMap<>();
    Manifest.Bounds[] byTarget = reader.scaling().targetBounds();
    for (int j = 0; j < m.targets().size(); j++) {
      bounds.put(m.targets().get(j), byTarget[j]);
    }
    BaselineForecaster f = new BaselineForecaster(baselines, m.targets(), m.horizon(), headroom,
        fallbacks, guarded, bounds);
    if (beyond != null) {
      f = f.beyondData(m.stepSeconds() * 1000);
    }
    Dataset<ForecastRow> all = series
        .groupByKey((MapFunction<Row, String>) BaselineForecaster::key, Encoders.STRING())
        .flatMapGroups(f, ENCODER);
    Dataset<Row> keys = windows.select(col(JOB_ID), col(SERIES_ID), col(SPLIT),
            col(END_TIME), explode(expr("sequence(1, " + m.horizon() + ")")).as("k_step"))
        .withColumn("k_target", explode(array(m.targets().stream().map(t -> lit(t))
            .toArray(Column[]::new))))
        .withColumn("k_time", expr("end_time + make_dt_interval(0, 0, 0, k_step * "
            + m.stepSeconds() + ")"))
        .select(col(JOB_ID).as("k_job"), col(SERIES_ID).as("k_series"),
            col(SPLIT).as("k_split"), col("k_step"), col("k_target"), col("k_time"));
    Column on = col("jobId").equalTo(col("k_job")).and(col("seriesId").equalTo(col("k_series")))
        .and(col(SPLIT).equalTo(col("k_split"))).and(col("step").equalTo(col("k_step")))
        .and(col("target").equalTo(col("k_target"))).and(col("targetTime").equalTo(col("k_time")));
    return all.join(keys, on, "left_semi").as(ENCODER);
  }
}
