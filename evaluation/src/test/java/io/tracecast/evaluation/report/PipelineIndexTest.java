package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.report.PipelineIndex.Row;
import io.tracecast.evaluation.report.PipelineIndex.SourceSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineIndexTest {
  private static Row row(String dataset, String job, String family, double champ, double pers) {
    return new Row(dataset, job, "m", family, champ, pers, champ / pers, 0.9, "m", champ);
  }

  @Test
  void summarisesEachSourceByMeanRatioJobsBeatingPersistenceAndNetworkChampions() {
    List<Row> rows = List.of(row("azure", "a", "network", 0.5, 1.0),
        row("azure", "b", "gbt", 1.2, 1.0), row("azure", "c", "baseline", 0.9, 1.0),
        row("alibaba", "m1", "ensemble", 0.7, 1.0));
    List<SourceSummary> s = PipelineIndex.summaries(rows);
    assertEquals(2, s.size());
    SourceSummary azure = s.get(0);
    assertEquals("azure", azure.dataset());
    assertEquals(3, azure.jobs());
    assertEquals((0.5 + 1.2 + 0.9) / 3, azure.meanRatio(), 1e-12);
    assertEquals(2, azure.beating());
    assertEquals(1, azure.networkChampions());
    assertEquals(0, s.get(1).networkChampions());
    String md = PipelineIndex.markdown(rows, List.of());
    assertTrue(md.contains("| azure | 3 | 0.867x | 2 of 3 | 1 of 3 |"), md);
    assertTrue(md.contains("| azure | b | m | gbt | 1.2 | 1 | 1.200x | 0.900x | m |"), md);
  }

  @Test
  void writesBothPagesThroughHadoopsFileSystemReplacingEarlierOnes(@TempDir Path tmp)
      throws IOException {
    List<PipelineIndex.Entry> entries = List.of(
        new PipelineIndex.Entry("bitbrains", "bitbrains", SampleReport.build()));
    Path reports = tmp.resolve("reports");
    String root = reports.toUri().toString(); // file:/...: any Hadoop filesystem URI
    PipelineIndex.write(root, entries, "first run", new Configuration());
    Files.writeString(reports.resolve("index.html"), "stale");
    String summary = PipelineIndex.write(root, entries, "second run", new Configuration());
    assertEquals(summary, Files.readString(reports.resolve("summary.md")));
    assertTrue(summary.contains("| bitbrains |"), summary);
    assertTrue(Files.readString(reports.resolve("index.html")).contains("Created second run."));
    assertEquals(List.of("index.html", "summary.md"), ReportWriterTest.names(reports),
        "no staging, old copies or .crc files");
  }
}
