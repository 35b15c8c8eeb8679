package io.tracecast.training;

import static org.apache.spark.sql.functions.lit;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Panel;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.fit.PanelFitter;
import io.tracecast.training.model.GraphNetworks;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.plan.TrainingTask;
import io.tracecast.training.registry.ModelRegistry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Packed training of the graph kinds ({@code graph_gru}): one Spark task per (job, kind), like
 * {@link PackedTraining}, but a task receives its job's panels
 * ({@code DatasetReader.encodedPanels}) instead of windows. One network per job: a job split
 * into sub-graphs trains one network on the panels of all of them (the layer's weights are
 * shared over nodes, so a smaller sub-graph is padded with masked nodes up to the job's largest).
 * The version's lineage params list the graphs and their nodes in tensor order.
 */
final class GraphPackedTraining {
  private static final Logger LOG = LoggerFactory.getLogger(GraphPackedTraining.class);

  private GraphPackedTraining() {}

  /** A panel on its way to a task, with its split. */
  record PanelRow(boolean validation, Panel panel) implements Serializable {
    static final Comparator<PanelRow> ORDER = Comparator.comparing(PanelRow::validation)
        .thenComparing(r -> r.panel().graphId())
        .thenComparingLong(r -> r.panel().endMillis());
  }

  static List<JobOutcome> run(SparkSession spark, DatasetReader reader, List<TrainingTask> tasks,
      RunContext ctx, RunProgress progress) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    List<TrainingTask> units = new ArrayList<>(tasks);
    List<String> ids = units.stream().map(TrainingTask::id).toList();
    List<String> jobs = units.stream().map(TrainingTask::job).distinct().toList();
    HashMap<String, int[]> slots = PackedTraining.slotsByJob(
        units.stream().map(TrainingTask::job).toList());
    HashMap<String, Map<String, Object>> lineage = new HashMap<>();
    for (String job : jobs) {
      lineage.put(job, lineage(reader.manifest(), job));
    }
    List<JobOutcome> outcomes;
    try (PackedStage stage = PackedStage.start(spark.sparkContext(), "packed graph networks",
        units.size(), i -> progress.done(ids.get(i)))) {
      outcomes = new ArrayList<>(stage.mark(reader.encodedPanels(spark, Split.TRAIN, jobs)
              .withColumn("validation", lit(false))
              .unionByName(reader.encodedPanels(spark, Split.VALIDATION, jobs)
                  .withColumn("validation", lit(true)))
              .javaRDD()
              .flatMapToPair(r -> {
                PanelRow p = new PanelRow(r.getBoolean(r.fieldIndex("validation")),
                    Panel.from(r));
                List<Tuple2<Integer, PanelRow>> out = new ArrayList<>();
                for (int slot : slots.get(p.panel().jobId())) {
                  out.add(new Tuple2<>(slot, p));
                }
                return out.iterator();
              })
              .partitionBy(new JobPartitioner(units.size()))
              .mapPartitions(it -> train(it, units, lineage, ctx)))
          .collect());
    }
    for (TrainingTask t : tasks) {
      if (outcomes.stream().noneMatch(o -> o.id().equals(t.id()))) {
        outcomes.add(JobOutcome.failed(t, new IllegalStateException(
            "no train panels read for job " + t.job())));
      }
    }
    progress.done(ids);
    return outcomes;
  }

  /** The job's graphs and their nodes in tensor order, and the network's node count. */
  static Map<String, Object> lineage(Manifest m, String job) {
    Map<String, Object> graphs = new LinkedHashMap<>();
    int nodes = 0;
    for (Manifest.Graph g : m.graphsOf(job)) {
      graphs.put(g.graphId(), g.nodes());
      nodes = Math.max(nodes, g.nodeCount());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", nodes);
    out.put("graphs", graphs);
    return out;
  }

  private static Iterator<JobOutcome> train(Iterator<Tuple2<Integer, PanelRow>> rows,
      List<TrainingTask> units, Map<String, Map<String, Object>> lineage, RunContext ctx) {
    List<PanelRow> all = new ArrayList<>();
    int slot = -1;
    while (rows.hasNext()) {
      Tuple2<Integer, PanelRow> t = rows.next();
      slot = t._1();
      all.add(t._2());
    }
    if (all.isEmpty()) {
      return List.<JobOutcome>of().iterator();
    }
    TrainingTask task = units.get(slot);
    ctx.limitNativeThreads();
    try {
      all.sort(PanelRow.ORDER);
      List<Panel> train = new ArrayList<>();
      List<Panel> validation = new ArrayList<>();
      for (PanelRow r : all) {
        (r.validation() ? validation : train).add(r.panel());
      }
      Map<String, Object> params = lineage.get(task.job());
      int nodes = (Integer) params.get("nodes");
      ModelSpec spec = ctx.spec(task.kind());
      Nd4j.getRandom().setSeed(spec.training().seed());
      PanelFitter fitter = new PanelFitter(GraphNetworks.build(spec, ctx.shape(), nodes), spec,
          ctx.shape(), nodes, train, validation);
      ModelRegistry registry = ModelRegistry.open(ctx.registryRoot(), ctx.hadoop().get());
      return List.of(ModelPublisher.fitAndPublish(task, spec, fitter, params, ctx, registry))
          .iterator();
    } catch (Exception e) {
      LOG.error("{} failed: {}", task.id(), e.toString(), e);
      return List.of(JobOutcome.failed(task, e)).iterator();
    }
  }
}
