package io.tracecast.evaluation.report;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tracecast.common.PausePoint;
import io.tracecast.common.StagedCommit;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes an {@link EvaluationReport} as a directory:
 * <pre>
 * comparison.csv   job x model, every metric, rank per job (for machines)
 * steps.csv        job x model x horizon step: the error curve and the intervals per step
 * series.csv       per-series scores
 * comparison.md    per-job tables with the champion and why (for the README and PRs)
 * autoscaling.csv  the autoscaling policies per job, when the registry holds a learned one
 * index.html       the same tables plus every plot, one self-contained file (for people)
 * plots/*.png      forecast vs actual, the champion's fan chart, training curves, MAE by model
 * report.json      the EvaluationReport itself (NaN written as the string "NaN")
 * </pre>
 * The directory may be on any Hadoop filesystem ({@code hdfs://}, {@code file:}, a local path)
 * and is replaced as a whole by one {@link StagedCommit}: readers never see half a report.
 * Charts are rendered to PNG bytes in memory, then written like every other file. Rendering is
 * headless; no display is needed.
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
  /** The report itself, for machines ({@link ReportReader}). */
  static final String REPORT_JSON = "report.json";

  /**
   * Jackson writes NaN as the string "NaN" (JSON has no NaN), which Jackson reads back into a
   * double; other readers must map the string themselves.
   */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  private ReportWriter() {}

  /**
   * Renders every format and plot of {@code report} into {@code dir}, replacing it.
   *
   * @param dir a path or URI on any Hadoop filesystem
   * @return the report directory, fully qualified
   */
  public static String write(EvaluationReport report, String dir, Configuration conf)
      throws IOException {
    ComparisonTable table = ComparisonTable.of(report);
    Map<String, List<Plot>> plots = Charts.render(report, table);
    StagedCommit commit = StagedCommit.begin(dir, true, conf);
    FileSystem fs = commit.fileSystem();
    Path out = new Path(commit.staging());
    try {
      write(fs, new Path(out, "comparison.csv"), CsvTable.comparison(table));
      PausePoint.reach("report.partial");
      write(fs, new Path(out, "steps.csv"), CsvTable.steps(table));
      write(fs, new Path(out, "series.csv"), CsvTable.series(report.seriesScores()));
      write(fs, new Path(out, "comparison.md"), MarkdownTable.render(report, table));
      write(fs, new Path(out, "index.html"), HtmlPage.render(report, table, plots));
      Path plotDir = new Path(out, PLOTS_DIR);
      if (!fs.mkdirs(plotDir)) {
        throw new IOException("cannot create " + plotDir);
      }
      for (List<Plot> jobPlots : plots.values()) {
        for (Plot p : jobPlots) {
          write(fs, new Path(plotDir, p.fileName()), p.png());
        }
      }
      if (report.autoscaling() != null) {
        write(fs, new Path(out, AutoscalingTable.CSV), AutoscalingTable.csv(report.autoscaling()));
        for (Plot p : AutoscalingTable.plots(report.autoscaling())) {
          write(fs, new Path(plotDir, p.fileName()), p.png());
        }
      }
      try (OutputStream o = fs.create(new Path(out, REPORT_JSON), false)) {
        JSON.writeValue(o, report);
      }
    } catch (IOException | RuntimeException e) {
      commit.abort();
      throw e;
    }
    commit.commit();
    return commit.target();
  }

  private static void write(FileSystem fs, Path file, String text) throws IOException {
    write(fs, file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
    try (OutputStream o = fs.create(file, false)) {
      o.write(bytes);
    }
  }
}
