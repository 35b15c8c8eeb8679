package io.tracecast.evaluation.scoring;

import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Panel;
import io.tracecast.etl.dataset.WindowScaling;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.ModelOutput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores dataset windows with the registry's trained models (any trained kind, through the
 * registry's one loader, {@link ModelCache}) on executors: one {@link ForecastRow} per
 * (window, horizon step, target, model), back in original units through the dataset contract's
 * rule ({@link WindowScaling#toOriginal} with the row's anchor and scale, clipped to the target's
 * physical range). Input rows are {@code DatasetReader.encodedWindows} plus a {@code split}
 * column.
 *
 * <p>Windows are batched per job, so each network call scores up to {@code batchSize} windows.
 * Quantile forecasts are sorted before use: independently trained output columns can cross, and
 * sorting them (monotone rearrangement) never increases the pinball loss.
 */
public final class TrainedForecaster implements MapPartitionsFunction<Row, ForecastRow>,
    Serializable {
  private final String registryRoot;
  private final HadoopConfSnapshot conf;
  private final Map<String, List<Candidate>> candidatesByJob;
  private final NetworkShape shape;
  private final List<String> targets;
  private final long stepMillis;
  private final int batchSize;
  private final int threads;
  private final ProvisioningSettings provisioning;
  private final Manifest.Bounds[] bounds;

  public TrainedForecaster(String registryRoot, HadoopConfSnapshot conf,
      Map<String, List<Candidate>> candidatesByJob, NetworkShape shape, List<String> targets,
      Manifest.Bounds[] bounds, long stepMillis, int batchSize, int threads,
      ProvisioningSettings provisioning) {
    this.registryRoot = registryRoot;
    this.conf = conf;
    this.candidatesByJob = new HashMap<>(candidatesByJob);
    this.shape = shape;
    this.targets = List.copyOf(targets);
    this.stepMillis = stepMillis;
    this.batchSize = batchSize;
    this.threads = threads;
    this.provisioning = provisioning;
    this.bounds = bounds.clone();
  }

  @Override
  public Iterator<ForecastRow> call(Iterator<Row> rows) {
    return inBatches(rows, this::score);
  }

  /** What scores one job's batch of rows into forecast rows. */
  private interface BatchScorer {
    void score(String job, List<Row> batch, List<ForecastRow> out);
  }

  /**
   * Feeds {@code rows} of the jobs with candidates to {@code scorer} in per-job batches of
   * {@code batchSize} (the last ones smaller), on {@code threads} ND4J threads.
   */
  private Iterator<ForecastRow> inBatches(Iterator<Row> rows, BatchScorer scorer) {
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.getEnvironment().setMaxThreads(threads);
    Map<String, List<Row>> pending = new HashMap<>();
    List<ForecastRow> out = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      String job = WindowSchema.jobId(r);
      if (!candidatesByJob.containsKey(job)) {
        continue;
      }
      List<Row> batch = pending.computeIfAbsent(job, j -> new ArrayList<>());
      batch.add(r);
      if (batch.size() == batchSize) {
        scorer.score(job, batch, out);
        batch.clear();
      }
    }
    pending.forEach((job, batch) -> {
      if (!batch.isEmpty()) {
        scorer.score(job, batch, out);
      }
    });
    return out.iterator();
  }

  private void score(String job, List<Row> batch, List<ForecastRow> out) {
    List<float[]> inputs = new ArrayList<>(batch.size());
    for (Row r : batch) {
      inputs.add(WindowSchema.inputs(r));
    }
    for (Candidate c : candidatesByJob.get(job)) {
      float[][] output = ModelCache.window(registryRoot, c, conf.get()).forecast(inputs);
      for (int b = 0; b < batch.size(); b++) {
        emit(batch.get(b), c, output[b], out);
      }
    }
  }

  /**
   * The graph candidates' forecasts of panel rows ({@code DatasetReader.encodedPanels} columns
   * plus {@code split}): one {@link ForecastRow} per present node, exactly as a window model's
   * forecast of that node's window. {@code nodesByGraph}: each graph's series ids in tensor
   * order (the manifest's).
   */
  public MapPartitionsFunction<Row, ForecastRow> overPanels(
      Map<String, List<String>> nodesByGraph) {
    Map<String, List<String>> nodes = new HashMap<>(nodesByGraph);
    return rows -> inBatches(rows, (job, batch, out) -> scorePanels(job, batch, nodes, out));
  }

  private void scorePanels(String job, List<Row> batch, Map<String, List<String>> nodesByGraph,
      List<ForecastRow> out) {
    List<Panel> panels = batch.stream().map(Panel::from).toList();
    int per = shape.targetLength();
    int anchors = shape.targets();
    for (Candidate c : candidatesByJob.get(job)) {
      int width = per * c.outputsPerTarget();
      float[][] output = ModelCache.panel(registryRoot, c, conf.get()).forecast(panels);
      for (int b = 0; b < panels.size(); b++) {
        Panel p = panels.get(b);
        String split = batch.get(b).getString(batch.get(b).fieldIndex(WindowSchema.SPLIT));
        List<String> series = nodesByGraph.get(p.graphId());
        for (int node = 0; node < p.nodes(); node++) {
          if (!p.mask()[node]) {
            continue;
          }
          emit(p.jobId(), series.get(node), split, p.endMillis(),
              Arrays.copyOfRange(p.targets(), node * per, (node + 1) * per),
              Arrays.copyOfRange(p.anchor(), node * anchors, (node + 1) * anchors),
              Arrays.copyOfRange(p.scale(), node * anchors, (node + 1) * anchors), c,
              Arrays.copyOfRange(output[b], node * width, (node + 1) * width), out);
        }
      }
    }
  }

  private void emit(Row window, Candidate c, float[] output, List<ForecastRow> out) {
    // the window's job: a borrowed model (PatternServing) belongs to another job
    emit(WindowSchema.jobId(window),
        WindowSchema.seriesId(window),
        window.getString(window.fieldIndex(WindowSchema.SPLIT)),
        WindowSchema.endMillis(window),
        WindowSchema.targets(window),
        WindowSchema.anchor(window),
        WindowSchema.scale(window), c,
        output, out);
  }

  /** One window's forecast rows, from its model-space output; the one rule for every kind. */
  private void emit(String job, String series, String split, long endMillis, float[] y,
      float[] anchor, float[] scale, Candidate c, float[] output, List<ForecastRow> out) {
    int outputs = c.outputsPerTarget();
    for (int h = 0; h < shape.horizon(); h++) {
      for (int k = 0; k < shape.targets(); k++) {
        int j = h * shape.targets() + k;
        double[] q = new double[outputs];
        for (int i = 0; i < outputs; i++) {
          q[i] = WindowScaling.toOriginal(anchor, scale, bounds, k,
              output[ModelOutput.column(j, i, outputs)]);
        }
        Arrays.sort(q);
        double point = q[c.medianIndex()];
        double provision = provisioning.withHeadroomApplied(q[c.provisionIndex()]);
        out.add(new ForecastRow(job, series, split, targets.get(k), h + 1,
            endMillis + (h + 1) * stepMillis, c.model(), c.version(), c.family().name(),
            WindowScaling.toOriginal(anchor, scale, bounds, k, y[j]), point, c.quantiles().isEmpty() ? null : q, provision));
      }
    }
  }
}
