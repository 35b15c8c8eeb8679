package io.tracecast.evaluation.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation of one registry version as named metrics ({@link RunMetrics} owns the names),
 * all at {@code timestampMillis} (when the evaluation ran): what an export to a tracking server
 * such as MLflow logs on the version's run (re-exporting the same evaluation logs nothing new).
 * Non-finite values are dropped: MLflow's JSON has no NaN.
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
      throw new IllegalArgumentException(job + "/" + model + " v" + version
          + ": no finite metric among " + values.keySet());
    }
    values = java.util.Collections.unmodifiableMap(finite);
  }
}
