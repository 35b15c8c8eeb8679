package io.tracecast.evaluation.scoring;

import static org.apache.spark.sql.functions.col;

import io.tracecast.evaluation.report.ForecastTrace;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.SeriesScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;

/**
 * Forecast traces for the report's plots: for a job, the last {@code steps} one-step test
 * forecasts of the series with the most test points, by the given models.
 */
public final class TraceCollector {
  private TraceCollector() {}

  public static List<ForecastTrace> collect(Dataset<ForecastRow> forecasts, String job,
      String target, List<ModelScore> models, List<SeriesScore> seriesScores, int steps) {
    Optional<String> series = seriesScores.stream().filter(s -> s.job().equals(job))
        .max(Comparator.comparingLong((SeriesScore s) -> s.point().count())
            .thenComparing(SeriesScore::series, Comparator.reverseOrder()))
        .map(SeriesScore::series);
    List<ForecastTrace> out = new ArrayList<>();
    if (series.isEmpty()) {
      return out;
    }
    for (ModelScore m : models) {
      List<ForecastRow> rows = forecasts.where(col("jobId").equalTo(job)
              .and(col("seriesId").equalTo(series.get())).and(col("split").equalTo("test"))
              .and(col("step").equalTo(1)).and(col("target").equalTo(target))
              .and(col("model").equalTo(m.model())).and(col("version").equalTo(m.version())))
          .orderBy(col("targetTime").desc()).limit(steps).collectAsList();
      List<ForecastRow> ordered = new ArrayList<>(rows);
      ordered.sort(Comparator.comparing(ForecastRow::getTargetTime));
      int n = ordered.size();
      long[] times = new long[n];
      double[] actual = new double[n];
      double[] predicted = new double[n];
      boolean band = n > 0 && ordered.get(0).getQuantiles() != null
          && ordered.get(0).getQuantiles().length >= 2;
      double[] lower = band ? new double[n] : null;
      double[] upper = band ? new double[n] : null;
      for (int i = 0; i < n; i++) {
        ForecastRow r = ordered.get(i);
        times[i] = r.getTargetTime().getTime();
        actual[i] = r.getActual();
        predicted[i] = r.getPoint();
        if (band) {
          double[] q = r.getQuantiles();
          lower[i] = q[0];
          upper[i] = q[q.length - 1];
        }
      }
      out.add(new ForecastTrace(job, series.get(), m.label(), times, actual, predicted, lower,
          upper));
    }
    return out;
  }
}
