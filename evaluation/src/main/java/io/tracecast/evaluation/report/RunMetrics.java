package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report's scores as metrics of the registry versions they score, for the MLflow export
 * (training's {@code mlflow} package logs them on each version's run). Per job (pooled rows
 * are not a version's) and registry version: the test split's point metrics
 * ({@code test/mae}, {@code test/rmse}, {@code test/mse}, {@code test/mape}, {@code test/smape},
 * {@code test/r2}, {@code test/points}), {@code test/mae_vs_persistence} and {@code test/rank}
 * as in the comparison table, {@code validation/mae} (original units, the champion
 * criterion), for quantile models {@code test/pinball_p<level>} (e.g. {@code test/pinball_p10}),
 * {@code test/interval_coverage} and {@code test/interval_width}, for every candidate its
 * split-conformal intervals per level ({@code test/pi80_coverage}, {@code test/pi80_width},
 * {@code test/pi80_interval_score}, ...), the provisioning outcome
 * ({@code provisioning/violation_rate}, {@code provisioning/efficiency}) and the inference cost
 * ({@code inference/latency_micros_per_window}, {@code inference/windows_per_second}). A
 * baseline or ensemble champion is scored under its published registry version. All at the
 * report's creation time.
 */
public final class RunMetrics {
  private RunMetrics() {}

  public static List<VersionMetrics> of(EvaluationReport report) {
    long at = Instant.parse(report.createdAt()).toEpochMilli();
    List<VersionMetrics> out = new ArrayList<>();
    for (JobRanking job : ComparisonTable.of(report).perJob()) {
      for (RankedScore row : job.rows()) {
        ModelScore s = row.score();
        int version = s.family().trained() ? s.version()
            : row.champion() && job.champion() != null ? job.champion().registryVersion() : 0;
        if (version > 0) {
          out.add(new VersionMetrics(s.job(), s.model(), version, values(row), at));
        }
      }
    }
    return out;
  }

  private static Map<String, Double> values(RankedScore row) {
    ModelScore s = row.score();
    Map<String, Double> v = new LinkedHashMap<>();
    PointMetrics p = s.point();
    v.put("test/mae", p.mae());
    v.put("test/rmse", p.rmse());
    v.put("test/mse", p.mse());
    v.put("test/mape", p.mape());
    v.put("test/smape", p.smape());
    v.put("test/r2", p.r2());
    v.put("test/points", (double) p.count());
    v.put("test/mae_vs_persistence", row.maeVsPersistence());
    v.put("test/rank", (double) row.rank());
    v.put("validation/mae", s.validationMae());
    QuantileMetrics q = s.quantiles();
    if (q != null) {
      for (int i = 0; i < q.levels().length; i++) {
        v.put("test/pinball_p" + ComparisonTable.percentLabel(q.levels()[i]), q.pinball()[i]);
      }
      v.put("test/interval_coverage", q.coverage());
      v.put("test/interval_width", q.meanWidth());
    }
    // every candidate's split-conformal intervals, named as in comparison.csv
    for (IntervalMetrics i : s.intervals()) {
      String pi = "test/" + IntervalMetrics.prefix(i.level());
      v.put(pi + "_coverage", i.coverage());
      v.put(pi + "_width", i.meanWidth());
      v.put(pi + "_interval_score", i.intervalScore());
    }
    ProvisioningOutcome prov = s.provisioning();
    if (prov != null) {
      v.put("provisioning/violation_rate", prov.violationRate());
      v.put("provisioning/efficiency", prov.efficiency());
    }
    v.put("inference/latency_micros_per_window", s.latencyMicrosPerWindow());
    v.put("inference/windows_per_second", s.windowsPerSecond());
    return v;
  }
}
