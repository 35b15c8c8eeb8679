package io.tracecast.training.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation of one tracecast version, to be logged as metrics of its MLflow run: metric
 * name -> value (evaluation's report owns the names), all at {@code timestampMillis} (when the
 * evaluation ran; re-exporting the same evaluation logs nothing new). Non-finite values are
 * dropped: MLflow's JSON has no NaN.
 */
public record VersionMetrics(String job, String model, int version, Map<String, Double> values,
    long timestampMillis) {
  public VersionMetrics {
    if (job == null || model == null || version < 1) {
      throw new IllegalArgumentException("evaluation metrics need job, model and a version >= 1,"
          + " got " + job + "/" + model + "/v" + version);
    }
    Map<String, Double> finite = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (v != null && Double.isFinite(v)) {
        finite.put(k, v);
      }
    });
    if (finite.isEmpty()) {
      throw new IllegalArgumentException(MlflowNames.versionId(job, model, version)
          + ": no finite metric among " + values.keySet());
    }
    values = java.util.Collections.unmodifiableMap(finite);
  }

  public String versionId() {
    return MlflowNames.versionId(job, model, version);
  }
}
