package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.registry.ModelFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMetricsTest {

  @Test
  void scoresEveryJobsRegistryVersionsAtTheReportsTimeNotThePooledRows() {
    List<VersionMetrics> m = RunMetrics.of(SampleReport.build("web", "db"));
    // jobs in order, each job's rows best first, as in the comparison table
    assertEquals(List.of("db/lstm/v1", "web/bilstm_attention/v2", "web/lstm/v1"),
        m.stream().map(v -> v.job() + "/" + v.model() + "/v" + v.version()).toList());
    VersionMetrics bilstm = m.get(1);
    assertEquals(1_714_564_800_000L, bilstm.timestampMillis()); // 2024-05-01T12:00:00Z
    assertEquals(0.0210, bilstm.values().get("test/mae"));
    assertEquals(0.0190, bilstm.values().get("validation/mae"));
    assertEquals(0.0210 / 0.0320, bilstm.values().get("test/mae_vs_persistence"), 1e-15);
    assertEquals(1.0, bilstm.values().get("test/rank"));
    assertEquals(0.009, bilstm.values().get("test/pinball_p50"));
    assertEquals(0.81, bilstm.values().get("test/interval_coverage"));
    assertEquals(1000.0, bilstm.values().get("test/points"));
    assertFalse(m.get(2).values().containsKey("test/pinball_p50"), "a point model");
  }

  @Test
  void aBaselineChampionIsScoredUnderItsPublishedVersion() {
    EvaluationReport r = SampleReport.build("web", "db");
    Map<String, Champion> champions = new java.util.HashMap<>(r.champions());
    champions.put("db", new Champion("db", "persistence", ModelFamily.BASELINE, 0, 4,
        "validation_mae", 0.038, 1.0, "lowest validation MAE"));
    EvaluationReport withBaseline = new EvaluationReport(r.dataset(), r.registry(),
        r.createdAt(), r.target(), r.unit(), r.jobScores(), r.seriesScores(), champions,
        r.traces(), r.curves(), r.reactive(), r.notes());
    VersionMetrics persistence = RunMetrics.of(withBaseline).stream()
        .filter(v -> v.model().equals("persistence")).findFirst().orElseThrow();
    assertEquals(4, persistence.version());
    assertEquals(0.0380, persistence.values().get("test/mae"));
    assertEquals(1.0, persistence.values().get("test/mae_vs_persistence"));
    assertFalse(persistence.values().containsKey("validation/mae"), "NaN left out");
  }

  @Test
  void logsEachIntervalLevelsCoverageWidthAndScoreUnderTheCsvsNames() {
    EvaluationReport r = SampleReport.build("web", "db");
    List<ModelScore> scores = new java.util.ArrayList<>();
    for (ModelScore s : r.jobScores()) {
      scores.add(!s.job().equals("db") || !s.model().equals("lstm") ? s : new ModelScore(s.job(),
          s.model(), s.family(), s.version(), s.point(), s.quantiles(), s.provisioning(),
          s.validationMae(), s.latencyMicrosPerWindow(), s.windowsPerSecond(), List.of(
              new io.tracecast.evaluation.metric.IntervalMetrics(0.8, 1000, 0.79, 0.12, 0.31),
              new io.tracecast.evaluation.metric.IntervalMetrics(0.9, 1000, 0.88, 0.17, 0.36)),
          List.of(), List.of()));
    }
    EvaluationReport withIntervals = new EvaluationReport(r.dataset(), r.registry(),
        r.createdAt(), r.target(), r.unit(), scores, r.seriesScores(), r.champions(),
        r.traces(), r.curves(), r.reactive(), r.notes());
    Map<String, Double> lstm = RunMetrics.of(withIntervals).get(0).values();
    assertEquals(0.79, lstm.get("test/pi80_coverage"));
    assertEquals(0.12, lstm.get("test/pi80_width"));
    assertEquals(0.31, lstm.get("test/pi80_interval_score"));
    assertEquals(0.88, lstm.get("test/pi90_coverage"));
    assertEquals(0.36, lstm.get("test/pi90_interval_score"));
  }

  @Test
  void readsTheReportBackFromItsDirectory(@TempDir Path dir) throws Exception {
    EvaluationReport r = SampleReport.build("web", "db");
    String written = ReportWriter.write(r, dir.resolve("report").toString(), new Configuration());
    EvaluationReport back = ReportReader.read(written, new Configuration());
    List<VersionMetrics> a = RunMetrics.of(r);
    List<VersionMetrics> b = RunMetrics.of(back);
    assertEquals(a, b);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> ReportReader.read(dir.toString(),
            new Configuration()));
    assertTrue(e.getMessage().contains("report.json"), e.getMessage());
  }
}
