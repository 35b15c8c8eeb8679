package io.tracecast.training.tune;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.WindowScaling;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.ModelOutput;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.WindowRow;
import io.tracecast.training.stage.UnitInput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One job's train and validation windows for a hyperparameter search, collected once on the
 * driver and broadcast to every trial's task, with what the objective needs: the validation
 * windows' anchor and scale, through which {@link WindowScaling#toOriginal} takes a forecast
 * back to original units (the evaluation module's rule, not a second one).
 */
public record TuneData(JobWindows windows, List<float[]> validationAnchor,
    List<float[]> validationScale, Manifest.Bounds[] bounds) implements Serializable {

  /** The windows of {@code job}, in {@link WindowRow#ORDER} (so every trial sees one order). */
  public static TuneData collect(SparkSession spark, DatasetReader reader, String job) {
    List<Row> rows = new ArrayList<>(UnitInput.windows().trainAndValidation(spark, reader,
        List.of(job)).collectAsList());
    List<WindowRow> windows = new ArrayList<>(rows.size());
    rows.forEach(r -> windows.add(WindowRow.from(r)));
    Integer[] order = new Integer[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparing(windows::get, WindowRow.ORDER));
    List<WindowRow> sorted = new ArrayList<>();
    List<float[]> anchor = new ArrayList<>();
    List<float[]> scale = new ArrayList<>();
    for (int i : order) {
      sorted.add(windows.get(i));
      if (windows.get(i).validation()) {
        anchor.add(WindowSchema.anchor(rows.get(i)));
        scale.add(WindowSchema.scale(rows.get(i)));
      }
    }
    return new TuneData(JobWindows.of(sorted), anchor, scale,
        WindowScaling.of(reader.manifest()).targetBounds());
  }

  /**
   * The validation MAE in original units of {@code network}'s point forecast (the quantile
   * nearest 0.5), over every (window, horizon step, target): the search's objective.
   */
  public double originalMae(ComputationGraph network, ModelSpec spec, NetworkShape shape) {
    List<float[]> in = windows.validationInputs();
    int q = spec.outputsPerTarget();
    int point = ModelOutput.pointIndex(spec.quantiles());
    double sum = 0;
    long n = 0;
    int batch = 1024;
    for (int from = 0; from < in.size(); from += batch) {
      int to = Math.min(in.size(), from + batch);
      float[][] out = WindowTensors.rows(network.outputSingle(false,
          WindowTensors.features(in.subList(from, to), shape)));
      for (int b = 0; b < out.length; b++) {
        float[] y = windows.validationTargets().get(from + b);
        float[] a = validationAnchor.get(from + b);
        float[] s = validationScale.get(from + b);
        for (int j = 0; j < shape.targetLength(); j++) {
          int k = j % shape.targets();
          double forecast = WindowScaling.toOriginal(a, s, bounds, k,
              out[b][ModelOutput.column(j, point, q)]);
          sum += Math.abs(forecast - WindowScaling.toOriginal(a, s, bounds, k, y[j]));
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
