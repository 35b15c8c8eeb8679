package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.PointMetrics;
import io.tracecast.evaluation.metric.QuantileMetrics;
import io.tracecast.evaluation.provisioning.ProvisioningOutcome;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small hand-built report: two jobs (one whose id is an HTML injection with a comma and
 * quotes), a quantile-forecasting champion, persistence and seasonal-naive baselines, pooled
 * rows, traces with and without a band, and training curves.
 */
final class SampleReport {

  static final String WEB = "web-frontend";
  static final String HOSTILE = "<script>alert(\"x, y\")</script>";
  static final long START_MILLIS = 1_372_636_800_000L; // 2013-07-01T00:00Z, as in Bitbrains
  static final long STEP_MILLIS = 300_000L;
  static final int TRACE_POINTS = 3 * 288; // three days of 5-minute steps; the plot shows two
  static final double[] LEVELS = {0.1, 0.5, 0.9};

  private SampleReport() {}

  static EvaluationReport build() {
    return build(WEB, HOSTILE);
  }

  static EvaluationReport build(String webJob, String otherJob) {
    List<ModelScore> scores = List.of(
        // web: seasonal_naive ties lstm on MAE and wins on RMSE
        neural(webJob, "bilstm_attention", 2, 0.0210, 0.0300, 0.0190, quantiles(0.009, 0.81)),
        neural(webJob, "lstm", 1, 0.0250, 0.0340, 0.0230, null),
        baseline(webJob, "seasonal_naive", 0.0250, 0.0310),
        baseline(webJob, "persistence", 0.0320, 0.0450),
        neural(otherJob, "lstm", 1, 0.0410, 0.0550, 0.0400, null),
        baseline(otherJob, "persistence", 0.0380, 0.0520),
        baseline(otherJob, "seasonal_naive", 0.0520, 0.0700),
        neural(ModelScore.ALL_JOBS, "lstm", 1, 0.0330, 0.0460, 0.0320, null),
        baseline(ModelScore.ALL_JOBS, "persistence", 0.0350, 0.0490),
        baseline(ModelScore.ALL_JOBS, "seasonal_naive", 0.0385, 0.0520));
    List<SeriesScore> series = List.of(
        new SeriesScore(webJob, "vm-17", "bilstm_attention", 2, point(0.020, 0.029)),
        new SeriesScore(webJob, "vm-03", "bilstm_attention", 2, point(0.022, 0.031)),
        new SeriesScore(otherJob, "vm-9", "persistence", 0, point(0.038, 0.052)));
    Map<String, Champion> champions = Map.of(
        webJob, new Champion(webJob, "bilstm_attention", ModelFamily.NETWORK, 2, 2,
            "validation_mae", 0.0190, 0.8, "lowest validation MAE (0.019) of 2 models"),
        otherJob, new Champion(otherJob, "lstm", ModelFamily.NETWORK, 1, 1,
            "validation_mae", 0.0400, 0.9, "the only neural model (validation MAE 0.04)"));
    Random random = new Random(42);
    Map<String, List<ForecastTrace>> traces = Map.of(
        webJob, List.of(trace(webJob, "bilstm_attention v2", 0.012, true, random),
            trace(webJob, "seasonal_naive", 0.03, false, random)),
        otherJob, List.of(trace(otherJob, "lstm v1", 0.03, false, random)));
    Map<String, Map<String, TrainingHistory>> curves = Map.of(
        webJob, Map.of("bilstm_attention v2", curve(30, 22, 0.6, true),
            "lstm v1", curve(20, 18, 0.4, true)),
        otherJob, Map.of("lstm v1", curve(15, 15, 0.3, false)));
    return new EvaluationReport("out/bitbrains", "out/registry", "2024-05-01T12:00:00Z", "cpu",
        "fraction of capacity", scores, series, champions, traces, curves,
        Map.of(webJob, new ProvisioningOutcome(1000, 123, 0.123, 1.45, 0.5, 0.01)),
        List.of("horizon 1 step (5 min)", "job idle-batch skipped: 3 windows, too few to score"));
  }

  static PointMetrics point(double mae, double rmse) {
    return new PointMetrics(1000, rmse * rmse, rmse, mae, 100 * mae / 0.35, 990,
        100 * mae / 0.36, 1 - rmse * rmse / 0.01);
  }

  static ModelScore neural(String job, String model, int version, double mae, double rmse,
      double validationMae, QuantileMetrics q) {
    return new ModelScore(job, model, ModelFamily.NETWORK, version, point(mae, rmse), q,
        new ProvisioningOutcome(1000, 40, 0.04, 1.18, 0.42, 0.003), validationMae, 85.5,
        11_700);
  }

  static ModelScore baseline(String job, String model, double mae, double rmse) {
    return new ModelScore(job, model, ModelFamily.BASELINE, 0, point(mae, rmse), null,
        new ProvisioningOutcome(1000, 120, 0.12, 1.25, 0.44, 0.009), Double.NaN, 0.4,
        2_500_000);
  }

  static QuantileMetrics quantiles(double pinballMid, double coverage) {
    return new QuantileMetrics(LEVELS.clone(),
        new double[] {0.6 * pinballMid, pinballMid, 0.7 * pinballMid}, coverage, 0.07);
  }

  /** A daily CPU cycle with noise; the forecast errs by about {@code error}. */
  static ForecastTrace trace(String job, String label, double error, boolean band,
      Random random) {
    long[] times = new long[TRACE_POINTS];
    double[] actual = new double[TRACE_POINTS];
    double[] predicted = new double[TRACE_POINTS];
    double[] lower = band ? new double[TRACE_POINTS] : null;
    double[] upper = band ? new double[TRACE_POINTS] : null;
    for (int i = 0; i < TRACE_POINTS; i++) {
      times[i] = START_MILLIS + i * STEP_MILLIS;
      double daily = 0.35 + 0.18 * Math.sin(2 * Math.PI * i / 288.0);
      actual[i] = daily + 0.025 * random.nextGaussian();
      predicted[i] = daily + error * random.nextGaussian();
      if (band) {
        lower[i] = predicted[i] - 0.04 - 0.01 * Math.abs(random.nextGaussian());
        upper[i] = predicted[i] + 0.05 + 0.01 * Math.abs(random.nextGaussian());
      }
    }
    return new ForecastTrace(job, "vm-17", label, times, actual, predicted, lower, upper);
  }

  /** Losses falling from {@code first} by about two decades, validation flat after bestEpoch. */
  static TrainingHistory curve(int epochs, int bestEpoch, double first, boolean validation) {
    List<Epoch> list = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      double train = first * Math.exp(-4.5 * (e - 1) / epochs) + 0.002;
      double val = first * 1.1 * Math.exp(-4.0 * (Math.min(e, bestEpoch) - 1) / epochs)
          + 0.003 + 0.0004 * Math.max(0, e - bestEpoch);
      list.add(new Epoch(e, train, validation ? val : Double.NaN,
          validation ? val / 3 : Double.NaN));
    }
    return new TrainingHistory(list, bestEpoch, 120.0, 5400);
  }
}
