package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report of a dataset whose series were clustered into usage patterns. */
class UsagePatternsReportTest {
  @Test
  void showsEachJobsPatternAndPlotsThePatternsDailyProfiles(@TempDir Path tmp)
      throws IOException {
    EvaluationReport sample = SampleReport.build();
    List<String> jobs = sample.champions().keySet().stream().sorted().toList();
    List<Double> daily = new ArrayList<>();
    List<Double> flat = new ArrayList<>(Arrays.asList(new Double[24]));
    for (int h = 0; h < 24; h++) {
      daily.add(Math.sin(2 * Math.PI * h / 24));
    }
    flat.set(3, 0.0);
    UsagePatterns patterns = new UsagePatterns(Map.of(jobs.get(0), 1, jobs.get(1), 0),
        List.of(flat, daily), Map.of(0, 3, 1, 12));
    EvaluationReport report = new EvaluationReport(sample.dataset(), sample.registry(),
        sample.createdAt(), sample.target(), sample.unit(), sample.jobScores(),
        sample.seriesScores(), sample.champions(), sample.traces(), sample.curves(),
        sample.reactive(), sample.notes(), patterns);
    Path dir = tmp.resolve("report");
    ReportWriter.write(report, dir.toString(), new org.apache.hadoop.conf.Configuration());
    String md = Files.readString(dir.resolve("comparison.md"));
    assertTrue(md.contains("## Usage patterns"), md);
    assertTrue(md.contains("usage pattern 2 of 2 (12 series)"), md);
    byte[] png = Files.readAllBytes(dir.resolve("plots").resolve(PatternProfilePlot.FILE));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    assertTrue(Files.readString(dir.resolve("index.html")).contains(PatternProfilePlot.FILE));
  }
}
