package io.tracecast.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run leaves on disk: atomic output, overwrite, failed runs and skipped files. */
class EtlJobOutputTest {
  @TempDir
  static Path tmp;

  private static final SparkSession SPARK = SparkTestSession.get();
  private static List<String> inputs;

  @BeforeAll
  static void writeTrace() throws IOException {
    inputs = Google2011Fixture.write(tmp.resolve("input")).stream().map(Path::toString).toList();
  }

  private static Manifest run(List<String> in, String out, boolean overwrite,
      EtlSettings settings) {
    return EtlJob.run(SPARK,
        new EtlRequest("google2011", in, out, overwrite, Optional.empty(), settings));
  }

  private static long windows(String out) {
    DatasetReader reader = DatasetReader.open(SPARK, out);
    long n = 0;
    for (Split s : Split.values()) {
      n += reader.windows(SPARK, s).count();
    }
    return n;
  }

  private static Path badFile(String name, String content) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bad-input"));
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void refusesToOverwriteWithoutOverwriteAndKeepsTheFirstDataset() {
    String out = tmp.resolve("keep").toString();
    Manifest first = run(inputs, out, false, EtlSettings.builder().build());
    long firstWindows = windows(out);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> run(inputs, out, false, EtlSettings.builder().lookback(6).build()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(e.getMessage().contains(Path.of(out).getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("overwrite"), e.getMessage());

    Manifest after = DatasetReader.open(SPARK, out).manifest();
    assertEquals(first.createdAt(), after.createdAt());
    assertEquals(first.fingerprint(), after.fingerprint());
    assertEquals(12, after.lookback());
    assertEquals(firstWindows, windows(out));
    DatasetAssertions.assertNoStagingLeftBehind(out);
  }

  @Test
  void overwriteReplacesTheDatasetAsAWhole() {
    String out = tmp.resolve("replace").toString();
    Manifest first = run(inputs, out, false, EtlSettings.builder().build());
    Manifest second = run(inputs, out, true, EtlSettings.builder().lookback(6).build());

    Manifest onDisk = DatasetAssertions.assertConsistent(SPARK, out, second, 3, 2);
    assertEquals(6, onDisk.lookback());
    assertTrue(!first.fingerprint().equals(onDisk.fingerprint()), "settings changed");
    // lookback 6 instead of 12 gives 6 more windows per segment long enough for both
    long expected = first.counts().windows().values().stream().mapToLong(Long::longValue).sum()
        + 6 * 4;
    assertEquals(expected, windows(out));
    DatasetAssertions.assertNoStagingLeftBehind(out);
  }

  @Test
  void failingRunOnABadFileLeavesNoOutputAndNoStaging() throws IOException {
    Path bad = badFile("not-a-trace.csv", "this is not\na task_usage file\n");
    String out = tmp.resolve("failed").toString();
    List<String> in = new ArrayList<>(inputs);
    in.add(bad.toString());

    BadFileException e = assertThrows(BadFileException.class,
        () -> run(in, out, false, EtlSettings.builder().build()));
    assertEquals(Reason.WRONG_FORMAT, e.reason());
    assertTrue(e.getMessage().contains("not-a-trace.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("skip-bad-files"), e.getMessage());
    assertFalse(Files.exists(Path.of(out)), "no output after a failed run");
    DatasetAssertions.assertNoStagingLeftBehind(out);
  }

  @Test
  void failingRunLeavesAnExistingDatasetUntouched() throws IOException {
    String out = tmp.resolve("survives").toString();
    Manifest first = run(inputs, out, false, EtlSettings.builder().build());
    Path empty = badFile("empty.csv", "");
    List<String> in = new ArrayList<>(inputs);
    in.add(empty.toString());

    BadFileException e = assertThrows(BadFileException.class,
        () -> run(in, out, true, EtlSettings.builder().build()));
    assertEquals(Reason.EMPTY_FILE, e.reason());
    assertEquals(first.createdAt(), DatasetReader.open(SPARK, out).manifest().createdAt());
    DatasetAssertions.assertNoStagingLeftBehind(out);
  }

  @Test
  void skipsAndCountsBadFilesWhenAllowed() throws IOException {
    Path bad = badFile("garbage.csv", "this is not\na task_usage file\n");
    Path empty = badFile("nothing.csv", "");
    String out = tmp.resolve("skipped").toString();
    List<String> in = new ArrayList<>(inputs);
    in.add(bad.toString());
    in.add(empty.toString());

    Manifest m = run(in, out, false, EtlSettings.builder().skipBadFiles(true).build());
    DatasetAssertions.assertConsistent(SPARK, out, m, 3, 2);
    assertEquals(2, m.counts().filesRead());
    assertEquals(2, m.counts().filesSkipped());
    assertEquals(List.of("EMPTY_FILE", "WRONG_FORMAT"), m.skippedFiles().stream()
        .map(Manifest.SkippedFile::reason).sorted().toList());
    assertTrue(m.skippedFiles().stream().anyMatch(f -> f.path().endsWith("garbage.csv")));
    // the detail says what is wrong; path and reason have their own fields
    assertEquals(List.of("file has no bytes"), m.skippedFiles().stream()
        .filter(f -> f.reason().equals("EMPTY_FILE")).map(Manifest.SkippedFile::detail).toList());
    // skipped files add no rows: the same counts as a run on the good files alone
    assertEquals(Google2011Fixture.GOOD_ROWS + Google2011Fixture.BAD_ROWS, m.counts().rowsRead());
    assertEquals(Google2011Fixture.BAD_ROWS, m.counts().rowsQuarantined());
  }
}
