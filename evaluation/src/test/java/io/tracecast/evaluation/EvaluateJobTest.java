package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.report.ModelScore;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** EvaluateJob end to end on two real Bitbrains VMs, an MLP and an LSTM (see the fixture). */
class EvaluateJobTest {
  private static final List<String> BASELINES =
      List.of("persistence", "seasonal_naive", "moving_average", "arima");

  private static List<ModelScore> jobScores(EvaluationFixture f) {
    return f.evaluated.report().jobScores().stream()
        .filter(s -> s.job().equals(EvaluationFixture.JOB)).toList();
  }

  @Test
  void writesTheReportFilesWithARowPerNetworkAndBaseline() throws IOException {
    EvaluationFixture f = EvaluationFixture.get();
    Path report = f.reportDir;
    for (String file : List.of("comparison.csv", "comparison.md", "index.html", "series.csv",
        "report.json")) {
      assertTrue(Files.size(report.resolve(file)) > 0, file);
    }
    List<Path> plots;
    try (Stream<Path> s = Files.list(report.resolve("plots"))) {
      plots = s.filter(p -> p.toString().endsWith(".png")).toList();
    }
    assertTrue(plots.size() >= 2, "plots: " + plots);
    for (Path p : plots) {
      byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(p), 4);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, p.toString());
    }
    List<String> csv = Files.readAllLines(report.resolve("comparison.csv"));
    for (String model : Stream.concat(BASELINES.stream(), Stream.of("mlp", "lstm")).toList()) {
      assertTrue(csv.stream().anyMatch(l -> l.contains(EvaluationFixture.JOB)
          && l.contains(model)), model + " row in " + csv);
    }
    // the baselines, two networks and the ensemble of the three best on validation
    assertEquals(BASELINES.size() + 2 + 1,
        jobScores(f).stream().map(ModelScore::model).distinct().count(), jobScores(f).toString());
  }

  @Test
  void drawsTheChampionsFanChartAtTheStartUpDelaysStep() throws IOException {
    EvaluationFixture f = EvaluationFixture.get();
    var report = f.evaluated.report();
    Champion champion = report.champions().get(EvaluationFixture.JOB);
    var fan = report.fans().get(EvaluationFixture.JOB);
    assertNotNull(fan, "a champion has a fan chart");
    assertEquals(champion.label(), fan.label());
    assertEquals(report.startupDelaySteps(), fan.step());
    assertTrue(fan.timesMillis().length > 0 && !fan.intervals().isEmpty(), fan.toString());
    String md = Files.readString(f.reportDir.resolve("comparison.md"));
    java.util.regex.Matcher link = java.util.regex.Pattern.compile("\\]\\(plots/(fan-[^)]+)\\)")
        .matcher(md);
    assertTrue(link.find(), md);
    assertTrue(Files.size(f.reportDir.resolve("plots").resolve(link.group(1))) > 0);
  }

  @Test
  void everyModelIsScoredOnExactlyTheTestWindows() {
    EvaluationFixture f = EvaluationFixture.get();
    long testWindows = f.windows(Split.TEST).size();
    long fromManifest = f.manifest.series().stream()
        .mapToLong(s -> s.windows().getOrDefault("test", 0L)).sum();
    assertEquals(fromManifest, testWindows);
    assertTrue(testWindows > 50, "test windows: " + testWindows);
    for (ModelScore s : jobScores(f)) {
      assertEquals(testWindows, s.point().count(), s.label());
    }
  }

  @Test
  void persistenceMaeEqualsTheMeanStepChangeAtTheTestTargets() {
    EvaluationFixture f = EvaluationFixture.get();
    Map<String, Double> cpu = new HashMap<>();
    for (Row r : f.reader().series(EvaluationFixture.spark()).select("series_id", "ts", "cpu")
        .collectAsList()) {
      cpu.put(r.getString(0) + "@" + r.getTimestamp(1).getTime(), r.getDouble(2));
    }
    long stepMillis = f.manifest.stepSeconds() * 1000;
    double sum = 0;
    int n = 0;
    for (Row w : f.windows(Split.TEST)) {
      String series = w.getString(w.fieldIndex("series_id"));
      long end = w.getTimestamp(w.fieldIndex("end_time")).getTime();
      Double last = cpu.get(series + "@" + end);
      Double next = cpu.get(series + "@" + (end + stepMillis));
      assertNotNull(last);
      assertNotNull(next);
      sum += Math.abs(next - last);
      n++;
    }
    double expected = sum / n;
    ModelScore persistence = jobScores(f).stream().filter(s -> s.model().equals("persistence"))
        .findFirst().orElseThrow();
    assertTrue(expected > 0);
    assertEquals(expected, persistence.point().mae(), 1e-9 * expected);
  }

  @Test
  void networksValidationMaeMatchesAnIndependentComputation() {
    EvaluationFixture f = EvaluationFixture.get();
    ModelRegistry registry = f.openRegistry();
    List<Row> validation = f.windows(Split.VALIDATION);
    List<ModelScore> networks = jobScores(f).stream()
        .filter(s -> s.family() == ModelFamily.NETWORK).toList();
    assertEquals(2, networks.size());
    for (ModelScore s : networks) {
      ComputationGraph net = registry.load(EvaluationFixture.JOB, s.model(), VersionRef.version(s.version()))
          .network();
      double sum = 0;
      for (Row w : validation) {
        sum += Math.abs(f.directForecast(net, w) - f.actual(w));
      }
      double mae = sum / validation.size();
      assertEquals(mae, s.validationMae(), 1e-5 * Math.max(1, mae), s.label());
    }
  }

  @Test
  void theChampionIsTheCandidateOfAnyFamilyWithTheLowestValidationMaeAndIsAliased() {
    EvaluationFixture f = EvaluationFixture.get();
    List<ModelScore> scores = jobScores(f);
    ModelScore best = scores.stream().filter(s -> Double.isFinite(s.validationMae()))
        .min(java.util.Comparator.comparingDouble(ModelScore::validationMae)).orElseThrow();
    Champion champion = f.evaluated.report().champions().get(EvaluationFixture.JOB);
    assertNotNull(champion);
    assertEquals(best.model(), champion.model(), scores.toString());
    assertEquals(best.family(), champion.family());
    assertEquals(best.validationMae(), champion.value(), 1e-12);
    // the test split never decides: the champion is not chosen by test MAE when they disagree
    ModelVersion alias = f.openRegistry().aliases(EvaluationFixture.JOB).get("champion");
    assertNotNull(alias, "champion alias");
    assertEquals(champion.model(), alias.model());
    assertEquals(champion.registryVersion(), alias.version());
    ModelFamily published = f.openRegistry().metadata(alias).family();
    assertEquals(champion.family(), published);
  }

  @Test
  void championSelectionNeverReadsTheTestSplit() {
    EvaluationFixture f = EvaluationFixture.get();
    List<ModelScore> scores = jobScores(f);
    // scores whose test metrics are scrambled pick the same champion: only validation counts
    List<ModelScore> scrambled = scores.stream().map(s -> new ModelScore(s.job(), s.model(),
        s.family(), s.version(), new io.tracecast.evaluation.metric.PointMetrics(
            s.point().count(), 1 / (1 + s.point().mse()), 1, 1 / (1 + s.point().mae()), 0, 0, 0,
            0), s.quantiles(), s.provisioning(), s.validationMae(),
        s.latencyMicrosPerWindow(), s.windowsPerSecond())).toList();
    Champion champion = f.evaluated.report().champions().get(EvaluationFixture.JOB);
    assertEquals(champion.model(), io.tracecast.evaluation.scoring.ChampionPicker.pick(
        EvaluationFixture.JOB, scrambled, f.evaluated.book(), "validation_mae").orElseThrow()
        .model());
  }

  @Test
  void pooledRowsEqualTheOnlyJobsRows() {
    EvaluationFixture f = EvaluationFixture.get();
    List<ModelScore> pooled = f.evaluated.report().jobScores().stream()
        .filter(s -> s.job().equals(ModelScore.ALL_JOBS)).toList();
    List<String> missing = new ArrayList<>();
    for (ModelScore s : jobScores(f)) {
      ModelScore all = pooled.stream().filter(p -> p.model().equals(s.model())).findFirst()
          .orElse(null);
      if (all == null) {
        missing.add(s.model());
        continue;
      }
      // one job: pooling changes nothing
      assertEquals(s.point().count(), all.point().count(), s.label());
      assertEquals(s.point().mae(), all.point().mae(), 1e-12 * s.point().mae(), s.label());
      assertEquals(s.validationMae(), all.validationMae(), 1e-12, s.label());
      assertEquals(s.version(), all.version());
    }
    assertEquals(List.of(), missing, "models without a pooled row");
    assertEquals(jobScores(f).size(), pooled.size());
  }

  @Test
  void countsSeasonalNaiveFallbacksOnPointsLessThanADayIntoTheirSegment() {
    EvaluationFixture f = EvaluationFixture.get();
    int season = (int) (f.settings.season().toSeconds() / f.manifest.stepSeconds());
    long expected = 0;
    Map<String, List<Row>> bySeries = new HashMap<>();
    for (Row r : f.reader().series(EvaluationFixture.spark())
        .select("series_id", "segment", "ts", "split", "cpu").collectAsList()) {
      bySeries.computeIfAbsent(r.getString(0) + "/" + r.getInt(1), k -> new ArrayList<>()).add(r);
    }
    for (List<Row> seg : bySeries.values()) {
      seg.sort(java.util.Comparator.comparing(r -> r.getTimestamp(2)));
      for (int t = 1; t < Math.min(season, seg.size()); t++) {
        if (!seg.get(t).getString(3).equals("train") && !seg.get(t).isNullAt(4)) {
          expected++;
        }
      }
    }
    assertTrue(expected > 0, "the 400-row series are shorter than a day's season");
    assertEquals(expected, f.evaluated.baselineFallbacks());
    String note = expected + " baseline";
    assertTrue(f.evaluated.report().notes().stream().anyMatch(n -> n.startsWith(note
        + " forecasts fell back")), f.evaluated.report().notes().toString());
  }
}
