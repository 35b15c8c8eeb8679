package io.tracecast.evaluation.scoring;

import io.tracecast.training.registry.ModelFamily;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.report.ModelScore;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses each job's champion among all its candidates, whatever their family (networks,
 * gradient-boosted models, the ensemble, the classical baselines), by a validation metric and
 * never by the test split: the test split stays an honest estimate of how the champion will do.
 * A job where persistence is best on validation gets persistence.
 */
public final class ChampionPicker {
  private ChampionPicker() {}

  /**
   * @param metric {@code validation_mae} or {@code validation_rmse}
   * @param scores the job's rows (test metrics are read only for the reason's context)
   */
  public static Optional<Champion> pick(String job, List<ModelScore> scores, ScoreBook book,
      String metric) {
    int index = metric.equals("validation_rmse") ? 1 : 0;
    List<ModelScore> candidates = scores.stream()
        .filter(s -> s.job().equals(job))
        .filter(s -> Double.isFinite(book.validation(job, s.model(), s.version())[index]))
        .toList();
    // ties go to the simpler family (baselines first, by the enum's order reversed)
    Optional<ModelScore> best = candidates.stream().min(Comparator.<ModelScore>comparingDouble(
        s -> book.validation(job, s.model(), s.version())[index])
        .thenComparing(s -> -s.family().ordinal()).thenComparing(ModelScore::model));
    Optional<ModelScore> persistence = scores.stream().filter(s -> s.job().equals(job)
        && s.family() == ModelFamily.BASELINE && s.model().equals("persistence")).findFirst();
    return best.map(b -> {
      double value = book.validation(job, b.model(), b.version())[index];
      double persistenceValidation = persistence.map(p ->
          book.validation(job, p.model(), p.version())[0]).orElse(Double.NaN);
      double vsPersistence = book.validation(job, b.model(), b.version())[0]
          / persistenceValidation;
      String test = persistence.map(p -> String.format(Locale.ROOT,
          "; validation MAE %.3fx persistence's, test MAE %.3fx", vsPersistence,
          b.point().mae() / p.point().mae())).orElse("");
      return new Champion(job, b.model(), b.family(), b.version(),
          b.family().trained() ? b.version() : 0, metric, value, vsPersistence,
          String.format(Locale.ROOT, "lowest %s (%.4g) of %d candidates (%s)%s",
              metric.replace('_', ' '), value, candidates.size(),
              b.family().name().toLowerCase(Locale.ROOT), test));
    });
  }
}
