package io.tracecast.evaluation.report;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link EvaluationReport} as a directory:
 * <pre>
 * comparison.csv   job x model, every metric, rank per job (for machines)
 * series.csv       per-series scores
 * comparison.md    per-job tables with the champion and why (for the README and PRs)
 * index.html       the same tables plus every plot, one self-contained file (for people)
 * plots/*.png      forecast vs actual, training curves, MAE by model
 * report.json      the EvaluationReport itself (NaN written as the string "NaN")
 * </pre>
 * The directory is replaced as a whole (see {@link ReportDirectory}): readers never see half a
 * report. Rendering is headless; no display is needed.
 */
public final class ReportWriter {

  static {
    // Before any AWT class loads, or Java2D may look for a display it will not find on a
    // cluster node. An explicit -Djava.awt.headless=false from the caller is left alone.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final String PLOTS_DIR = "plots";

  /**
   * Jackson writes NaN as the string "NaN" (JSON has no NaN), which Jackson reads back into a
   * double; other readers must map the string themselves.
   */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  private ReportWriter() {}

  /** Renders every format and plot of {@code report} into {@code dir}, replacing it. */
  public static void write(EvaluationReport report, Path dir) throws IOException {
    ComparisonTable table = ComparisonTable.of(report);
    Map<String, List<Plot>> plots = Charts.render(report, table);
    ReportDirectory.replace(dir, out -> {
      write(out.resolve("comparison.csv"), CsvTable.comparison(table));
      write(out.resolve("series.csv"), CsvTable.series(report.seriesScores()));
      write(out.resolve("comparison.md"), MarkdownTable.render(report, table));
      write(out.resolve("index.html"), HtmlPage.render(report, table, plots));
      Path plotDir = Files.createDirectory(out.resolve(PLOTS_DIR));
      for (List<Plot> jobPlots : plots.values()) {
        for (Plot p : jobPlots) {
          Files.write(plotDir.resolve(p.fileName()), p.png());
        }
      }
      JSON.writeValue(out.resolve("report.json").toFile(), report);
    });
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
