package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report with a graph model draws its mean learned adjacency as a heat map. */
class AdjacencyReportTest {
  @Test
  void drawsTheAdjacencyHeatMapOfTheJobWithAGraphModel(@TempDir Path tmp) throws IOException {
    EvaluationReport sample = SampleReport.build();
    String job = sample.champions().keySet().stream().sorted().findFirst().orElseThrow();
    List<String> nodes = List.of("vm-1", SampleReport.HOSTILE, "vm-3");
    double[][] w = {{0.5, 0.5, 0}, {0.2, 0.6, 0.2}, {0, 0.25, 0.75}};
    EvaluationReport report = new EvaluationReport(sample.dataset(), sample.registry(),
        sample.createdAt(), sample.target(), sample.unit(), sample.jobScores(),
        sample.seriesScores(), sample.champions(), sample.traces(), sample.curves(),
        sample.reactive(), sample.notes(), null,
        Map.of(job, new GraphAdjacency(job, "graph_gru", 2, nodes, w)));
    Path dir = tmp.resolve("report");
    ReportWriter.write(report, dir.toString(), new org.apache.hadoop.conf.Configuration());

    String file = AdjacencyPlot.fileName(job, "graph_gru");
    assertTrue(file.endsWith(".png"), file);
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(
        Files.readAllBytes(dir.resolve("plots").resolve(file))));
    assertEquals(560, png.getWidth());
    assertEquals(560, png.getHeight());
    String html = Files.readString(dir.resolve("index.html"));
    assertTrue(html.contains(file), "the page embeds the heat map");
    assertTrue(html.contains("2 = &lt;script&gt;"), "node ids are listed, escaped");
    assertFalse(html.contains("2 = " + SampleReport.HOSTILE));
  }

  @Test
  void refusesAMatrixThatDoesNotMatchItsNodes() {
    assertThrows(IllegalArgumentException.class, () -> new GraphAdjacency("j", "graph_gru", 1,
        List.of("a", "b"), new double[][] {{1, 0}}));
    assertThrows(IllegalArgumentException.class, () -> new GraphAdjacency("j", "graph_gru", 1,
        List.of("a", "b"), new double[][] {{1, 0}, {1}}));
  }
}
