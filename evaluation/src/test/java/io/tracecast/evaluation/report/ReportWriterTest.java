package io.tracecast.evaluation.report;

import io.tracecast.training.registry.ModelFamily;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  private static final EvaluationReport REPORT = SampleReport.build();

  @TempDir
  static Path parent;
  private static Path dir;

  @BeforeAll
  static void writeOnce() throws IOException {
    dir = parent.resolve("report");
    ReportWriter.write(REPORT, dir.toString(), new Configuration());
  }

  @Test
  void writesEveryFormatAndPlot() throws IOException {
    assertEquals(List.of("comparison.csv", "comparison.md", "index.html", "plots",
        "report.json", "series.csv", "steps.csv"), names(dir));
    // per job: forecast, training curves, MAE bars; the pooled group: MAE bars
    assertEquals(7, names(dir.resolve("plots")).size());
    assertTrue(GraphicsEnvironment.isHeadless(), "rendering must not need a display");
  }

  @Test
  void comparisonCsvParsesBackWithRanksAndExactMaeRelativeToPersistence() throws IOException {
    List<List<String>> rows = Csv.parse(Files.readString(dir.resolve("comparison.csv")));
    assertEquals(List.of("job", "model", "family", "version", "rank", "windows", "mae", "rmse",
        "mse", "mape", "mape_points", "smape", "r2", "mae_vs_persistence", "validation_mae", "champion",
        "pinball_p10", "pinball_p50", "pinball_p90", "coverage", "interval_width",
        "sla_violation_rate", "efficiency", "latency_us_per_window", "windows_per_s", "folds",
        "fold_mae_vs_persistence_mean", "fold_mae_vs_persistence_ci95", "within_noise_of_best",
        "seeds", "seed_mae_vs_persistence_mean", "seed_mae_vs_persistence_ci95"), rows.get(0));
    List<Map<String, String>> records = records(rows);
    assertEquals(REPORT.jobScores().size(), records.size());
    Map<String, String> rankOf = new HashMap<>();
    for (Map<String, String> r : records) {
      rankOf.put(r.get("job") + "/" + r.get("model"), r.get("rank"));
      ModelScore score = scoreOf(r.get("job"), r.get("model"));
      double persistence = scoreOf(r.get("job"), "persistence").point().mae();
      assertEquals(score.point().mae(), Double.parseDouble(r.get("mae")), 0.0);
      assertEquals(score.point().mae() / persistence,
          Double.parseDouble(r.get("mae_vs_persistence")), 0.0);
      assertEquals(score.point().count(), Long.parseLong(r.get("windows")));
      assertEquals(score.family() == ModelFamily.BASELINE, r.get("validation_mae")
          .isEmpty(), "NaN validation MAE is an empty field");
    }
    assertEquals(Map.of("web-frontend/bilstm_attention", "1", "web-frontend/seasonal_naive", "2",
        "web-frontend/lstm", "3", "web-frontend/persistence", "4"), filter(rankOf, "web-"));
    assertEquals(Map.of(SampleReport.HOSTILE + "/persistence", "1",
        SampleReport.HOSTILE + "/lstm", "2", SampleReport.HOSTILE + "/seasonal_naive", "3"),
        filter(rankOf, "<script>"));
    Map<String, String> champion = records.stream()
        .filter(r -> r.get("model").equals("bilstm_attention")).findFirst().orElseThrow();
    assertEquals(0.6 * 0.009, Double.parseDouble(champion.get("pinball_p10")), 0.0);
    assertEquals(0.81, Double.parseDouble(champion.get("coverage")), 0.0);
    assertEquals("network", champion.get("family"));
    assertEquals("2", champion.get("version"));
    assertEquals(0.04, Double.parseDouble(champion.get("sla_violation_rate")), 0.0);
  }

  @Test
  void seriesCsvHasOneRowPerSeriesScore() throws IOException {
    List<Map<String, String>> records =
        records(Csv.parse(Files.readString(dir.resolve("series.csv"))));
    assertEquals(REPORT.seriesScores().size(), records.size());
    assertEquals(List.of(SampleReport.HOSTILE + "/vm-9", "web-frontend/vm-03",
        "web-frontend/vm-17"), records.stream().map(r -> r.get("job") + "/" + r.get("series"))
        .toList());
    assertEquals(0.029, Double.parseDouble(records.get(2).get("rmse")), 0.0);
  }

  @Test
  void markdownListsRowsInRankOrderUnderTheChampionLine() throws IOException {
    String md = Files.readString(dir.resolve("comparison.md"));
    List<String> sections = List.of(md.split("\n## "));
    assertEquals(4, sections.size(), "title, two jobs, pooled");
    String web = sections.get(2);
    assertTrue(web.startsWith("Job `web-frontend`\n"), web);
    assertTrue(web.contains("\nChampion: bilstm\\_attention v2 — lowest validation MAE (0.019) "
        + "of 2 models; test MAE rank 1 of 4.\n"), web);
    List<String> tableRows = web.lines().filter(l -> l.startsWith("|")).toList();
    assertEquals("| rank | model | MAE | RMSE | MAPE % | sMAPE % | R² | MAE vs persistence "
        + "| SLA viol. % | efficiency |", tableRows.get(0));
    assertEquals(List.of("**bilstm\\_attention v2 ★**", "seasonal\\_naive", "lstm v1",
        "persistence"), tableRows.stream().skip(2).map(l -> cells(l).get(1)).toList());
    assertEquals("**0.021**", cells(tableRows.get(2)).get(2));
    assertEquals("0.781", cells(tableRows.get(3)).get(7), "0.025 / 0.032");
    for (String row : tableRows) {
      assertEquals(10, cells(row).size(), row);
    }
    assertTrue(sections.get(1).startsWith("Job `<script>alert(\"x, y\")</script>`\n"));
    assertTrue(sections.get(1).contains("Champion: lstm v1 — the only neural model"));
    assertTrue(sections.get(3).startsWith("All jobs (pooled)\n"));
    // the champion's provisioning row of the fixture against its reactive outcome (12.3%, 1.45x)
    ModelScore champion = SampleReport.build().jobScores().stream()
        .filter(r -> r.job().equals("web-frontend") && r.model().equals("bilstm_attention"))
        .findFirst().orElseThrow();
    assertTrue(web.contains(String.format(java.util.Locale.ROOT, "misses demand on %.1f%% of "
        + "steps at %.2fx the capacity used; the reactive threshold autoscaler misses 12.3%% at "
        + "1.45x.", 100 * champion.provisioning().violationRate(),
        champion.provisioning().efficiency())), web);
    assertFalse(sections.get(1).contains("reactive threshold autoscaler"), "no outcome given");
  }

  @Test
  void htmlEmbedsEveryPlotAndEscapesJobNames() throws IOException {
    String html = Files.readString(dir.resolve("index.html"));
    Matcher images = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")
        .matcher(html);
    Set<String> embedded = new HashSet<>();
    while (images.find()) {
      embedded.add(Base64.getEncoder().encodeToString(Base64.getDecoder()
          .decode(images.group(1))));
    }
    Set<String> files = new HashSet<>();
    for (Path png : pngs()) {
      files.add(Base64.getEncoder().encodeToString(Files.readAllBytes(png)));
    }
    assertEquals(files, embedded, "each PNG file embedded once, byte for byte");
    assertFalse(html.contains("<script"), "a job id must not become markup");
    assertTrue(html.contains("<h2>Job &lt;script&gt;alert(&quot;x, y&quot;)&lt;/script&gt;</h2>"));
    assertFalse(html.contains("src=\"http") || html.contains("<link"), "self-contained");
    assertTrue(html.contains("Champion: bilstm_attention v2 — lowest validation MAE (0.019)"));
    assertTrue(html.contains("<li>job idle-batch skipped: 3 windows, too few to score</li>"));
    assertTrue(html.contains("<dd>out/registry</dd>"));
    assertTrue(html.contains("2024-05-01T12:00:00Z"));
    assertTrue(html.contains("<tr class=\"best champion\"><td>1</td><td>bilstm_attention v2 ★"));
  }

  @Test
  void plotsDecodeAtTheirSizeAndAreNotBlank() throws IOException {
    for (Path png : pngs()) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertEquals(PlotStyle.WIDTH, image.getWidth(), png.toString());
      assertEquals(PlotStyle.HEIGHT, image.getHeight(), png.toString());
      assertTrue(distinctColours(image) > 40, png + " looks blank");
    }
  }

  @Test
  void drawsTheQuantileBandOnlyForTracesWithBounds() throws IOException {
    Path web = pngs().stream().filter(p -> p.getFileName().toString()
        .startsWith("forecast-web-frontend-")).findFirst().orElseThrow();
    Path other = pngs().stream().filter(p -> p.getFileName().toString()
        .startsWith("forecast-script-")).findFirst().orElseThrow();
    // the band: the first palette colour (#0072B2) at alpha 55 over white
    int[] band = {200, 225, 238};
    assertTrue(pixelsNear(ImageIO.read(web.toFile()), band) > 5000, "band missing");
    assertTrue(pixelsNear(ImageIO.read(other.toFile()), band) < 1000, "band without bounds");
  }

  @Test
  void reportJsonReadsBackWithItsNaNs() throws IOException {
    EvaluationReport back = new ObjectMapper()
        .readValue(dir.resolve("report.json").toFile(), EvaluationReport.class);
    assertEquals(REPORT.champions(), back.champions());
    assertEquals(REPORT.curves(), back.curves(), "NaN validation losses survive");
    assertEquals(REPORT.notes(), back.notes());
    for (int i = 0; i < REPORT.jobScores().size(); i++) {
      ModelScore a = REPORT.jobScores().get(i);
      ModelScore b = back.jobScores().get(i);
      assertEquals(a.point(), b.point());
      assertEquals(Double.doubleToLongBits(a.validationMae()),
          Double.doubleToLongBits(b.validationMae()));
      assertEquals(a.quantiles() == null, b.quantiles() == null);
    }
    ForecastTrace a = REPORT.traces().get(SampleReport.WEB).get(0);
    ForecastTrace b = back.traces().get(SampleReport.WEB).get(0);
    assertArrayEquals(a.timesMillis(), b.timesMillis());
    assertArrayEquals(a.upper(), b.upper());
  }

  @Test
  void rewritingReplacesTheOldReportAndLeavesNoTempDirectories() throws IOException {
    Path target = parent.resolve("rewrite").resolve("report");
    ReportWriter.write(REPORT, target.toString(), new Configuration());
    Files.writeString(target.resolve("stale.txt"), "from an older run");
    ReportWriter.write(SampleReport.build("api", "db"), target.toUri().toString(),
        new Configuration());
    assertEquals(List.of("comparison.csv", "comparison.md", "index.html", "plots",
        "report.json", "series.csv", "steps.csv"), names(target));
    List<String> plots = names(target.resolve("plots"));
    assertEquals(7, plots.size());
    assertTrue(plots.stream().noneMatch(p -> p.contains("web-frontend")), plots.toString());
    assertTrue(Files.readString(target.resolve("comparison.md")).contains("## Job `api`"));
    assertEquals(List.of("report"), names(target.getParent()), "no .tmp- or .old- siblings");
  }

  @Test
  void writesAnEmptyReportWithoutPlots() throws IOException {
    Path target = parent.resolve("empty");
    ReportWriter.write(new EvaluationReport("d", "r", "now", "cpu", "", List.of(), List.of(),
        Map.of(), Map.of(), Map.of(), Map.of(), List.of()), target.toString(), new Configuration());
    assertEquals(List.of(), names(target.resolve("plots")));
    assertEquals(1, Csv.parse(Files.readString(target.resolve("comparison.csv"))).size());
    assertTrue(Files.readString(target.resolve("index.html")).endsWith("</html>\n"));
  }

  private static List<Path> pngs() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("plots"))) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static ModelScore scoreOf(String job, String model) {
    return REPORT.jobScores().stream()
        .filter(s -> s.job().equals(job) && s.model().equals(model)).findFirst().orElseThrow();
  }

  /**
   * A two-step report (lstm and persistence in one job and pooled, with 80 % and 90 %
   * intervals): steps.csv gives each step's MAE over persistence's at the same step, every level
   * its coverage, width and interval score; comparison.csv the pooled intervals; comparison.md
   * the step table and the narrowest interval's columns.
   */
  @Test
  void writesTheErrorCurveAndTheIntervalsOfEveryStep(@TempDir Path tmp) throws IOException {
    List<ModelScore> scores = new ArrayList<>();
    for (String job : List.of("j", ModelScore.ALL_JOBS)) {
      scores.add(stepped(job, "lstm", ModelFamily.NETWORK, 1, new double[] {0.02, 0.03}));
      scores.add(stepped(job, "persistence", ModelFamily.BASELINE, 0, new double[] {0.04, 0.05}));
    }
    EvaluationReport report = new EvaluationReport("d", "r", "2026-12-06T00:00:00Z", "cpu", "",
        scores, List.of(), Map.of("j", new Champion("j", "lstm", ModelFamily.NETWORK, 1, 1,
            "validation_mae", 0.025, 0.6, "lowest validation MAE")), Map.of(), Map.of(),
        Map.of(), List.of(), null, Map.of(), 2);
    Path out = tmp.resolve("stepped");
    ReportWriter.write(report, out.toString(), new Configuration());

    List<Map<String, String>> steps = records(Csv.parse(Files.readString(out.resolve("steps.csv"))));
    assertEquals(8, steps.size(), "2 groups x 2 models x 2 steps");
    Map<String, String> lstm2 = steps.stream().filter(r -> r.get("job").equals("j")
        && r.get("model").equals("lstm") && r.get("step").equals("2")).findFirst().orElseThrow();
    assertEquals(0.03 / 0.05, Double.parseDouble(lstm2.get("mae_vs_persistence")), 1e-15);
    assertEquals(0.03, Double.parseDouble(lstm2.get("mae")), 0);
    assertEquals(0.8 + 2 / 100.0, Double.parseDouble(lstm2.get("pi80_coverage")), 0);
    assertEquals(0.03 * 2, Double.parseDouble(lstm2.get("pi80_width")), 0);
    assertEquals(0.2 * 2, Double.parseDouble(lstm2.get("pi90_interval_score")), 0);
    assertEquals(0.03 * 2, Double.parseDouble(lstm2.get("upper_sla_violation_rate")), 0);
    assertEquals(1.2 + 2 / 10.0, Double.parseDouble(lstm2.get("upper_efficiency")), 0);

    Map<String, String> pooled = records(Csv.parse(Files.readString(
        out.resolve("comparison.csv")))).stream().filter(r -> r.get("job").equals(
            ModelScore.ALL_JOBS) && r.get("model").equals("lstm")).findFirst().orElseThrow();
    assertEquals(0.8, Double.parseDouble(pooled.get("pi80_coverage")), 0);
    assertEquals(0.5, Double.parseDouble(pooled.get("pi90_interval_score")), 0);
    // three folds: lstm / persistence fold by fold is 0.02/0.04, 0.03/0.05, 0.022/0.044
    assertEquals("3", pooled.get("folds"));
    assertEquals((0.5 + 0.6 + 0.5) / 3, Double.parseDouble(pooled.get(
        "fold_mae_vs_persistence_mean")), 1e-12);
    assertEquals("false", records(Csv.parse(Files.readString(out.resolve("comparison.csv"))))
        .stream().filter(r -> r.get("job").equals("j") && r.get("model").equals("persistence"))
        .findFirst().orElseThrow().get("within_noise_of_best"), "twice lstm's error in every fold");

    String md = Files.readString(out.resolve("comparison.md"));
    assertTrue(md.contains("| PI80 coverage % | PI80 width |"), md);
    // lstm's pooled step curve: 0.02 / 0.04 and 0.03 / 0.05
    assertTrue(md.contains("| lstm v1 | 0.5 | 0.6 |"), md);
    // the start-up delay (2 steps): the champion's p90 two steps ahead
    assertTrue(md.contains("Through a start-up delay of 2 steps: provisioning lstm v1's p90 (the "
        + "top of its 80 % interval) 2 steps ahead misses demand on 6.0% of steps at 1.40x the "
        + "capacity used."), md);
  }

  /** A score with the given MAE per step; the step-h intervals carry h in their figures. */
  private static ModelScore stepped(String job, String model, ModelFamily family, int version,
      double[] maeByStep) {
    List<StepScore> steps = new ArrayList<>();
    for (int h = 1; h <= maeByStep.length; h++) {
      steps.add(new StepScore(h, SampleReport.point(maeByStep[h - 1], 2 * maeByStep[h - 1]),
          List.of(new io.tracecast.evaluation.metric.IntervalMetrics(0.8, 100, 0.8 + h / 100.0,
              0.03 * h, 0.1 * h),
              new io.tracecast.evaluation.metric.IntervalMetrics(0.9, 100, 0.09 + h / 1000.0,
                  0.04 * h, 0.2 * h)),
          new io.tracecast.evaluation.provisioning.ProvisioningOutcome(100, 3 * h, 0.03 * h,
              1.2 + h / 10.0, 0.4, 0.001)));
    }
    double mean = java.util.Arrays.stream(maeByStep).average().orElseThrow();
    return new ModelScore(job, model, family, version, SampleReport.point(mean, 2 * mean), null,
        null, mean, Double.NaN, Double.NaN,
        List.of(new io.tracecast.evaluation.metric.IntervalMetrics(0.8, 200, 0.8, 0.045, 0.15),
            new io.tracecast.evaluation.metric.IntervalMetrics(0.9, 200, 0.9, 0.06, 0.5)), steps,
        List.of(maeByStep[0], maeByStep[1], maeByStep[0] * 1.1));
  }

  private static List<Map<String, String>> records(List<List<String>> rows) {
    List<Map<String, String>> records = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      assertEquals(rows.get(0).size(), row.size(), row.toString());
      Map<String, String> r = new HashMap<>();
      for (int i = 0; i < row.size(); i++) {
        r.put(rows.get(0).get(i), row.get(i));
      }
      records.add(r);
    }
    return records;
  }

  private static Map<String, String> filter(Map<String, String> map, String prefix) {
    Map<String, String> out = new HashMap<>(map);
    out.keySet().removeIf(k -> !k.startsWith(prefix));
    return out;
  }

  /** Cells of a Markdown table row, trimmed; escaped pipes would break this, none are expected. */
  private static List<String> cells(String row) {
    String inner = row.substring(1, row.length() - 1);
    return Stream.of(inner.split("\\|")).map(String::strip).toList();
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  private static int pixelsNear(BufferedImage image, int[] rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xff) - rgb[0]) <= 8 && Math.abs(((p >> 8) & 0xff) - rgb[1]) <= 8
            && Math.abs((p & 0xff) - rgb[2]) <= 8) {
          n++;
        }
      }
    }
    return n;
  }

  /** The local filesystem on a disk that fills up when the HTML page is written. */
  public static final class DiskFullAtIndexHtml extends RawLocalFileSystem {
    @Override
    public FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite,
        int bufferSize, short replication, long blockSize, Progressable progress)
        throws IOException {
      if (f.getName().equals("index.html")) {
        throw new IOException("disk full");
      }
      return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }
  }

  @Test
  void aFailedWriteKeepsThePreviousReportAndLeavesNoStaging() throws IOException {
    Path target = parent.resolve("failing").resolve("report");
    ReportWriter.write(REPORT, target.toString(), new Configuration());
    String before = Files.readString(target.resolve("comparison.md"));
    Configuration full = new Configuration();
    full.set("fs.file.impl", DiskFullAtIndexHtml.class.getName());
    full.setBoolean("fs.file.impl.disable.cache", true);
    // the CSV and Markdown files are staged before the HTML page fails
    IOException e = assertThrows(IOException.class,
        () -> ReportWriter.write(SampleReport.build("api", "db"), target.toString(), full));
    assertEquals("disk full", e.getMessage());
    assertEquals(before, Files.readString(target.resolve("comparison.md")));
    assertEquals(List.of("report"), names(target.getParent()), "no .tmp- or .old- siblings");
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
