package io.tracecast.evaluation.scoring;

import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.evaluation.report.ModelScore.Family;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses each job's champion among its networks by a validation metric, never the test split:
 * the test split stays an honest estimate of how the champion will do.
 */
public final class ChampionPicker {
  private ChampionPicker() {}

  /**
   * @param metric {@code validation_mae} or {@code validation_rmse}
   * @param scores the job's rows (test metrics, for the reason's context)
   */
  public static Optional<Champion> pick(String job, List<ModelScore> scores, ScoreBook book,
      String metric) {
    int index = metric.equals("validation_rmse") ? 1 : 0;
    List<ModelScore> neural = scores.stream()
        .filter(s -> s.job().equals(job) && s.family() == Family.NEURAL)
        .filter(s -> Double.isFinite(book.validation(job, s.model(), s.version())[index]))
        .toList();
    Optional<ModelScore> best = neural.stream().min(Comparator.comparingDouble(
        s -> book.validation(job, s.model(), s.version())[index]));
    Optional<ModelScore> persistence = scores.stream()
        .filter(s -> s.job().equals(job) && s.model().equals("persistence")).findFirst();
    return best.map(b -> {
      double value = book.validation(job, b.model(), b.version())[index];
      String vsPersistence = persistence.map(p -> String.format(Locale.ROOT,
          "; its test MAE is %.3fx persistence's", b.point().mae() / p.point().mae())).orElse("");
      return new Champion(job, b.model(), b.version(), metric, value, String.format(Locale.ROOT,
          "lowest %s (%.4g) of %d networks%s", metric.replace('_', ' '), value, neural.size(),
          vsPersistence));
    });
  }
}
