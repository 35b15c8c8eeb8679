package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelFamily;
import static io.tracecast.evaluation.report.SampleReport.baseline;
import static io.tracecast.evaluation.report.SampleReport.neural;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

  @Test
  void ranksByTestMaeAndBreaksTiesByRmse() {
    JobRanking web = job(ComparisonTable.of(SampleReport.build()), SampleReport.WEB);
    // seasonal_naive and lstm share MAE 0.025; seasonal_naive has the lower RMSE
    assertEquals(List.of("bilstm_attention v2", "seasonal_naive", "lstm v1", "persistence"),
        web.rows().stream().map(r -> r.score().label()).toList());
    assertEquals(List.of(1, 2, 3, 4), web.rows().stream().map(RankedScore::rank).toList());
  }

  @Test
  void modelsEqualOnMaeAndRmseShareARank() {
    EvaluationReport report = report(List.of(baseline("j", "persistence", 0.3, 0.4),
        baseline("j", "seasonal_naive", 0.2, 0.3), baseline("j", "moving_average", 0.2, 0.3),
        baseline("j", "drift", Double.NaN, Double.NaN)));
    JobRanking j = job(ComparisonTable.of(report), "j");
    assertEquals(List.of(1, 1, 3, 4), j.rows().stream().map(RankedScore::rank).toList());
    assertTrue(Double.isNaN(j.rows().get(3).score().point().mae()), "NaN MAE ranks last");
  }

  @Test
  void comparesMaeToThePersistenceRowOfTheSameJob() {
    ComparisonTable table = ComparisonTable.of(SampleReport.build());
    for (JobRanking job : table.jobs()) {
      double persistence = job.rows().stream()
          .filter(r -> r.score().model().equals("persistence")).findFirst().orElseThrow()
          .score().point().mae();
      for (RankedScore r : job.rows()) {
        assertEquals(r.score().point().mae() / persistence, r.maeVsPersistence(), 0.0);
      }
    }
  }

  @Test
  void leavesMaeVsPersistenceUndefinedWithoutAPersistenceRow() {
    EvaluationReport report = report(List.of(baseline("j", "seasonal_naive", 0.2, 0.3)));
    assertTrue(Double.isNaN(job(ComparisonTable.of(report), "j").rows().get(0)
        .maeVsPersistence()));
  }

  @Test
  void putsJobsInNameOrderAndThePooledGroupLast() {
    ComparisonTable table = ComparisonTable.of(SampleReport.build("zeta", "alpha"));
    assertEquals(List.of("alpha", "zeta", ModelScore.ALL_JOBS),
        table.jobs().stream().map(JobRanking::job).toList());
    assertEquals(ModelScore.ALL_JOBS, table.pooled().job());
    assertFalse(table.perJob().stream().anyMatch(JobRanking::pooled));
  }

  @Test
  void marksOnlyTheChampionsRowAndCollectsEveryQuantileLevel() {
    ComparisonTable table = ComparisonTable.of(SampleReport.build());
    JobRanking web = job(table, SampleReport.WEB);
    assertEquals("bilstm_attention v2", web.championRow().score().label());
    assertEquals(1, web.rows().stream().filter(RankedScore::champion).count());
    assertEquals(null, table.pooled().championRow());
    assertEquals(List.of(0.1, 0.5, 0.9), table.quantileLevels());
    assertEquals("10", ComparisonTable.percentLabel(0.1));
    assertEquals("2.5", ComparisonTable.percentLabel(0.025));
    assertEquals("97.5", ComparisonTable.percentLabel(0.975));
  }

  @Test
  void championWithTheSameModelNameButAnotherVersionIsNotMarked() {
    EvaluationReport report = new EvaluationReport("d", "r", "t", "cpu", "", List.of(
        neural("j", "lstm", 1, 0.2, 0.3, 0.2, null), neural("j", "lstm", 2, 0.3, 0.4, 0.1,
            null)), List.of(), Map.of("j", new Champion("j", "lstm", ModelFamily.NETWORK, 2, 2,
                "validation_mae", 0.1, 0.9, "lowest validation MAE")), Map.of(), Map.of(), Map.of(), List.of());
    JobRanking j = job(ComparisonTable.of(report), "j");
    assertEquals("lstm v2", j.championRow().score().label());
    assertEquals(2, j.championRow().rank());
  }

  static EvaluationReport report(List<ModelScore> scores) {
    return new EvaluationReport("d", "r", "t", "cpu", "", scores, List.of(), Map.of(), Map.of(),
        Map.of(), Map.of(), List.of());
  }

  static JobRanking job(ComparisonTable table, String job) {
    return table.jobs().stream().filter(j -> j.job().equals(job)).findFirst().orElseThrow();
  }
}
