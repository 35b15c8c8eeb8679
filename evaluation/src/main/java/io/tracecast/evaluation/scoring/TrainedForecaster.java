package io.tracecast.evaluation.scoring;

import io.tracecast.training.model.ModelOutput;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.etl.dataset.Float32Codec;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.WindowScaling;
import io.tracecast.etl.source.HadoopConfSnapshot;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.training.model.NetworkShape;
import io.tracecast.training.model.WindowTensors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores dataset windows with the registry's trained models (networks and gradient-boosted
 * trees) on executors: one {@link ForecastRow} per
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
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.getEnvironment().setMaxThreads(threads);
    Map<String, List<Row>> pending = new HashMap<>();
    List<ForecastRow> out = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      String job = r.getString(r.fieldIndex("job_id"));
      if (!candidatesByJob.containsKey(job)) {
        continue;
      }
      List<Row> batch = pending.computeIfAbsent(job, j -> new ArrayList<>());
      batch.add(r);
      if (batch.size() == batchSize) {
        score(job, batch, out);
        batch.clear();
      }
    }
    pending.forEach((job, batch) -> {
      if (!batch.isEmpty()) {
        score(job, batch, out);
      }
    });
    return out.iterator();
  }

  private void score(String job, List<Row> batch, List<ForecastRow> out) {
    List<float[]> inputs = new ArrayList<>(batch.size());
    for (Row r : batch) {
      inputs.add(Float32Codec.decode((byte[]) r.get(r.fieldIndex("inputs"))));
    }
    INDArray features = null;
    for (Candidate c : candidatesByJob.get(job)) {
      float[][] output;
      if (c.family() == ModelFamily.GBT) {
        GbtModel model = ModelCache.boosted(registryRoot, c, conf.get());
        float[] flat = model.predict(inputs);
        int width = model.outputColumns();
        output = new float[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
          output[b] = Arrays.copyOfRange(flat, b * width, (b + 1) * width);
        }
      } else {
        features = features == null ? WindowTensors.features(inputs, shape) : features;
        output = ModelCache.network(registryRoot, c, conf.get()).outputSingle(features)
            .toFloatMatrix();
      }
      for (int b = 0; b < batch.size(); b++) {
        emit(batch.get(b), c, output[b], out);
      }
    }
  }

  private void emit(Row window, Candidate c, float[] output, List<ForecastRow> out) {
    float[] y = Float32Codec.decode((byte[]) window.get(window.fieldIndex("targets")));
    float[] anchor = Float32Codec.decode((byte[]) window.get(window.fieldIndex(
        WindowScaling.ANCHOR)));
    float[] scale = Float32Codec.decode((byte[]) window.get(window.fieldIndex(
        WindowScaling.SCALE)));
    long endMillis = window.getTimestamp(window.fieldIndex("end_time")).getTime();
    // the window's job: a borrowed model (PatternServing) belongs to another job
    String job = window.getString(window.fieldIndex("job_id"));
    String series = window.getString(window.fieldIndex("series_id"));
    String split = window.getString(window.fieldIndex("split"));
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
