package io.tracecast.evaluation.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.report.ForecastTrace;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.SeriesScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;

/**
 * Forecast traces for the report's plots: per job, the last {@code steps} test forecasts at one
 * horizon step of the series with the most test points, by the given models. One Spark job per
 * call for all jobs: the forecasts are filtered once and split up on the driver.
 */
public final class TraceCollector {
  private TraceCollector() {}

  /**
   * One-step traces (the forecast-vs-actual plots).
   *
   * @param models by job, the models to trace (e.g. the champion and the best baseline)
   */
  public static Map<String, List<ForecastTrace>> collect(Dataset<ForecastRow> forecasts,
      String target, Map<String, List<ModelScore>> models, List<SeriesScore> seriesScores,
      int steps) {
    return collect(forecasts, target, models, seriesScores, steps, 1, new double[0]);
  }

  /**
   * The fan charts' traces: per job, its champion's forecasts made {@code step} steps ahead,
   * with the bounds of every interval level the rows carry ({@link ForecastRow#getIntervals}, as
   * they were calibrated; NaN where a row has none).
   *
   * @param champions by job, the champion's score row (the version its forecasts carry)
   */
  public static Map<String, ForecastTrace> fans(Dataset<ForecastRow> forecasts, String target,
      Map<String, ModelScore> champions, List<SeriesScore> seriesScores, int steps, int step,
      double[] intervalLevels) {
    Map<String, List<ModelScore>> models = new TreeMap<>();
    champions.forEach((job, champion) -> models.put(job, List.of(champion)));
    Map<String, ForecastTrace> out = new TreeMap<>();
    collect(forecasts, target, models, seriesScores, steps, step, intervalLevels).forEach(
        (job, traces) -> traces.stream().findFirst().ifPresent(t -> out.put(job, t)));
    return out;
  }

  private static Map<String, List<ForecastTrace>> collect(Dataset<ForecastRow> forecasts,
      String target, Map<String, List<ModelScore>> models, List<SeriesScore> seriesScores,
      int steps, int step, double[] intervalLevels) {
    Map<String, String> seriesByJob = tracedSeries(models.keySet(), seriesScores);
    Map<String, ModelScore> byKey = new LinkedHashMap<>();
    seriesByJob.forEach((job, series) -> models.get(job).forEach(m ->
        byKey.put(key(job, series, m.model(), m.version()), m)));
    Map<String, List<ForecastTrace>> out = new TreeMap<>();
    models.keySet().forEach(job -> out.put(job, new ArrayList<>()));
    if (byKey.isEmpty()) {
      return out;
    }
    Map<String, List<ForecastRow>> rows = new LinkedHashMap<>();
    byKey.keySet().forEach(k -> rows.put(k, new ArrayList<>()));
    forecasts.where(col("split").equalTo(Split.TEST.label()).and(col("step").equalTo(step))
            .and(col("target").equalTo(target))
            .and(concat_ws("\u0000", col("jobId"), col("seriesId"), col("model"),
                col("version").cast("string")).isin(byKey.keySet().toArray())))
        .collectAsList()
        .forEach(r -> rows.get(key(r.getJobId(), r.getSeriesId(), r.getModel(),
            r.getVersion())).add(r));
    rows.forEach((k, list) -> {
      ModelScore m = byKey.get(k);
      list.sort(Comparator.comparing(ForecastRow::getTargetTime));
      List<ForecastRow> last = list.subList(Math.max(0, list.size() - steps), list.size());
      out.get(m.job()).add(trace(m, seriesByJob.get(m.job()), last, step, intervalLevels));
    });
    return out;
  }

  /** Per job, the series with the most test points (ties: the first id). */
  private static Map<String, String> tracedSeries(Iterable<String> jobs,
      List<SeriesScore> seriesScores) {
    Map<String, String> seriesByJob = new TreeMap<>();
    for (String job : jobs) {
      seriesScores.stream().filter(s -> s.job().equals(job))
          .max(Comparator.comparingLong((SeriesScore s) -> s.point().count())
              .thenComparing(SeriesScore::series, Comparator.reverseOrder()))
          .ifPresent(s -> seriesByJob.put(job, s.series()));
    }
    return seriesByJob;
  }

  private static String key(String job, String series, String model, int version) {
    return job + "\u0000" + series + "\u0000" + model + "\u0000" + version;
  }

  private static ForecastTrace trace(ModelScore m, String series, List<ForecastRow> rows,
      int step, double[] intervalLevels) {
    int n = rows.size();
    long[] times = new long[n];
    double[] actual = new double[n];
    double[] predicted = new double[n];
    boolean band = n > 0 && rows.get(0).getQuantiles() != null
        && rows.get(0).getQuantiles().length >= 2;
    double[] lower = band ? new double[n] : null;
    double[] upper = band ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      ForecastRow r = rows.get(i);
      times[i] = r.getTargetTime().getTime();
      actual[i] = r.getActual();
      predicted[i] = r.getPoint();
      if (band) {
        double[] q = r.getQuantiles();
        lower[i] = q[0];
        upper[i] = q[q.length - 1];
      }
    }
    return new ForecastTrace(m.job(), series, m.label(), times, actual, predicted, lower, upper,
        step, intervals(rows, intervalLevels));
  }

  /** Each level's bounds along the rows, from {@link ForecastRow#getIntervals}. */
  private static List<ForecastTrace.Interval> intervals(List<ForecastRow> rows,
      double[] levels) {
    double[][] bounds = new double[2 * levels.length][rows.size()];
    for (double[] b : bounds) {
      Arrays.fill(b, Double.NaN);
    }
    for (int i = 0; i < rows.size(); i++) {
      // the rows carry every calibrated level; a trace without bands asks for none of them
      double[] b = rows.get(i).getIntervals();
      for (int j = 0; b != null && j < bounds.length; j++) {
        bounds[j][i] = b[j];
      }
    }
    List<ForecastTrace.Interval> out = new ArrayList<>();
    for (int l = 0; l < levels.length; l++) {
      out.add(new ForecastTrace.Interval(levels[l], bounds[2 * l], bounds[2 * l + 1]));
    }
    return out;
  }
}
