package io.tracecast.evaluation.scoring;

import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.registry.ModelFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;

/**
 * The ensemble candidate of each job: the median point forecast of its best {@code k}
 * candidates by validation MAE (any family but the ensemble itself; the members are chosen on
 * validation only). The median, not the mean, because models are judged by MAE and the median of
 * forecasts is robust to one member that is badly off on a point. With two members it is their
 * mean. Built from the members' own forecast rows, so it covers exactly their points.
 */
public final class EnsembleForecasts {
  /** Model name of the ensemble's rows and scores. */
  public static final String MODEL = "ensemble";

  private EnsembleForecasts() {}

  /**
   * Per job, its {@code k} best candidates by validation MAE (any family but the ensemble);
   * jobs with fewer than two scored candidates get no ensemble.
   */
  public static Map<String, List<EnsembleSpec.Member>> members(List<ModelScore> scores,
      ScoreBook book, int k) {
    Map<String, List<EnsembleSpec.Member>> out = new TreeMap<>();
    if (k < 2) {
      return out;
    }
    scores.stream().filter(s -> !ModelScore.ALL_JOBS.equals(s.job())
            && s.family() != ModelFamily.ENSEMBLE
            && Double.isFinite(book.validation(s.job(), s.model(), s.version())[0]))
        .collect(Collectors.groupingBy(ModelScore::job, TreeMap::new, Collectors.toList()))
        .forEach((job, rows) -> {
          List<EnsembleSpec.Member> best = rows.stream()
              .sorted(Comparator.comparingDouble(
                  s -> book.validation(job, s.model(), s.version())[0]))
              .limit(k).map(s -> new EnsembleSpec.Member(s.model(), s.family(), s.version()))
              .toList();
          if (best.size() >= 2) {
            out.put(job, best);
          }
        });
    return out;
  }

  /** The ensemble's forecast rows over the members' validation and test points. */
  public static Dataset<ForecastRow> forecasts(Dataset<ForecastRow> all,
      Map<String, List<EnsembleSpec.Member>> members, ProvisioningSettings provisioning) {
    Set<String> keys = new java.util.HashSet<>();
    members.forEach((job, ms) -> ms.forEach(m -> keys.add(m.key(job))));
    MapGroupsFunction<String, ForecastRow, ForecastRow> median = (key, rows) -> {
      List<ForecastRow> list = new ArrayList<>();
      rows.forEachRemaining(list::add);
      double[] points = list.stream().mapToDouble(ForecastRow::getPoint).toArray();
      double p = median(points);
      ForecastRow f = list.get(0);
      return new ForecastRow(f.getJobId(), f.getSeriesId(), f.getSplit(), f.getTarget(),
          f.getStep(), f.getTargetTime().getTime(), MODEL, 0, ModelFamily.ENSEMBLE.name(),
          f.getActual(), p, null, provisioning.withHeadroomApplied(p));
    };
    return all
        .filter((FilterFunction<ForecastRow>) r -> keys.contains(
            ScoreBook.modelKey(r.getJobId(), r.getModel(), r.getVersion())))
        .groupByKey((MapFunction<ForecastRow, String>) r -> String.join("\u0000", r.getSplit(),
            r.getJobId(), r.getSeriesId(), r.getTarget(), Integer.toString(r.getStep()),
            Long.toString(r.getTargetTime().getTime())), Encoders.STRING())
        .mapGroups(median, ForecastTable.ENCODER);
  }

  /** The median; the mean of the middle two for an even count. */
  public static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
