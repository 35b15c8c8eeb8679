package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDirectoryTest {

  @TempDir
  Path parent;

  @Test
  void failedRenderingKeepsThePreviousContentAndLeavesNoTempDirectory() throws IOException {
    Path dir = parent.resolve("report");
    ReportDirectory.replace(dir, out -> Files.writeString(out.resolve("a.txt"), "old"));
    IOException failure = assertThrows(IOException.class, () -> ReportDirectory.replace(dir,
        out -> {
          Files.writeString(out.resolve("a.txt"), "half");
          throw new IOException("disk full");
        }));
    assertEquals("disk full", failure.getMessage());
    assertEquals("old", Files.readString(dir.resolve("a.txt")));
    assertEquals(List.of("report"), names(parent));
  }

  @Test
  void createsMissingParentsOnFirstWrite() throws IOException {
    Path dir = parent.resolve("a/b/report");
    ReportDirectory.replace(dir, out -> Files.writeString(out.resolve("x"), "1"));
    assertEquals(List.of("x"), names(dir));
    assertEquals(List.of("report"), names(dir.getParent()));
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
