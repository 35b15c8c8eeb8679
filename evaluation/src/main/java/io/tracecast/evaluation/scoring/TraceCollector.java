package io.tracecast.evaluation.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.report.ForecastTrace;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.SeriesScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;

/**
 * Forecast traces for the report's plots: per job, the last {@code steps} one-step test
 * forecasts of the series with the most test points, by the given models. One Spark job for
 * all jobs: the forecasts are filtered once and split up on the driver.
 */
public final class TraceCollector {
  private TraceCollector() {}

  /** @param models by job, the models to trace (e.g. the champion and the best baseline) */
  public static Map<String, List<ForecastTrace>> collect(Dataset<ForecastRow> forecasts,
      String target, Map<String, List<ModelScore>> models, List<SeriesScore> seriesScores,
      int steps) {
    Map<String, String> seriesByJob = new TreeMap<>();
    for (String job : models.keySet()) {
      seriesScores.stream().filter(s -> s.job().equals(job))
          .max(Comparator.comparingLong((SeriesScore s) -> s.point().count())
              .thenComparing(SeriesScore::series, Comparator.reverseOrder()))
          .ifPresent(s -> seriesByJob.put(job, s.series()));
    }
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
    forecasts.where(col("split").equalTo(Split.TEST.label()).and(col("step").equalTo(1))
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
      out.get(m.job()).add(trace(m, seriesByJob.get(m.job()), last));
    });
    return out;
  }

  private static String key(String job, String series, String model, int version) {
    return job + "\u0000" + series + "\u0000" + model + "\u0000" + version;
  }

  private static ForecastTrace trace(ModelScore m, String series, List<ForecastRow> rows) {
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
    return new ForecastTrace(m.job(), series, m.label(), times, actual, predicted, lower, upper);
  }
}
