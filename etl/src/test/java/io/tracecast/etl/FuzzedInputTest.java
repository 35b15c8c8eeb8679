package io.tracecast.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.SeriesCleaner;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.QuarantineRecord;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.source.FileParse;
import io.tracecast.etl.source.MachineGrouping;
import io.tracecast.etl.source.SeriesChunk;
import io.tracecast.etl.source.SourceContext;
import io.tracecast.etl.source.TraceFileReader;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import io.tracecast.etl.window.SlidingWindows;
import io.tracecast.etl.window.WindowSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the readers with mutated real trace files ({@link TraceMutation}): for every format,
 * {@value #CASES} seeded cases through the per-file path the ETL runs in each task (read, parse,
 * quarantine, count, then clean and plan each series), each ending in exactly one of
 *
 * <ul>
 *   <li>a parse whose counts reconcile: every line of the decoded file is a header, an accepted
 *       row or a quarantined row with its line number and raw text, and every series cleans and
 *       plans;
 *   <li>a {@link BadFileException} naming the file with a file-level reason;
 * </ul>
 *
 * never another exception or a case running past {@value #CASE_TIMEOUT_SECONDS} s. Case id n of
 * a format always gives the same bytes (seed {@value #SEED}). A handful of the worst cases then
 * go through the whole ETL job, whose manifest and quarantine must account for every row.
 */
class FuzzedInputTest {
  static final long SEED = 20261202L;
  static final int CASES = 520;
  static final int CASE_TIMEOUT_SECONDS = 10;

  @TempDir
  static Path tmp;

  /** Runs one case at a time; replaced after a case that hangs, so the next gets a thread. */
  private static ExecutorService caseRunner = newRunner();
  private static final EtlSettings SETTINGS = EtlSettings.builder().build();

  @AfterAll
  static void stopRunner() {
    caseRunner.shutdownNow();
  }

  private static ExecutorService newRunner() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-case");
      t.setDaemon(true);
      return t;
    });
  }

  /** A format and the real files its mutations start from. */
  record Subject(String format, List<TraceMutation.Seed> seeds) {}

  static List<Subject> subjects() {
    List<Subject> out = new ArrayList<>();
    List<String> bitbrains = head(samples("bitbrains/2013-7/1.csv.gz"), 301);
    out.add(new Subject("bitbrains", List.of(new TraceMutation.Seed("fuzz/2013-7/1.csv",
        bitbrains, ';', bitbrains.get(0)))));
    out.add(new Subject("azure", List.of(new TraceMutation.Seed("fuzz/vm_cpu_readings.csv",
        head(samples("azure/vm_cpu_readings-sample.csv.gz"), 400), ',',
        "timestamp,vm id,min cpu,max cpu,avg cpu"))));
    out.add(new Subject("alibaba", List.of(new TraceMutation.Seed("fuzz/machine_usage.csv",
        head(samples("alibaba/machine_usage.csv.gz"), 400), ',',
        "machine_id,time_stamp,cpu_util_percent,mem_util_percent,mem_gps,mkpi,net_in,net_out,"
            + "disk_io_percent"))));
    List<String> google2019 =
        head(samples("google2019/382/22-900077000000-1166035000000.csv.gz"), 301);
    out.add(new Subject("google2019", List.of(
        new TraceMutation.Seed("fuzz/382/22.csv", google2019, ',', google2019.get(0)),
        new TraceMutation.Seed("fuzz/instance_usage.json",
            text(resource("/traces/google2019/json/instance_usage-000000000000.json")), ',',
            google2019.get(0)))));
    out.add(new Subject("google2011", List.of(new TraceMutation.Seed(
        "fuzz/part-00000-of-00001.csv", google2011Seed(), ',',
        "start_time,end_time,job_id,task_index,machine_id,cpu_rate"))));
    return out;
  }

  /** The outcome of one case: a label for the tally, or a failure message. */
  record Outcome(String label, String failure) {
    static Outcome ok(String label) {
      return new Outcome(label, null);
    }
  }

  @Test
  void everyMutatedFileReconcilesOrFailsNamingTheFile() {
    Map<String, Map<String, Map<String, Integer>>> tally = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (Subject subject : subjects()) {
      TraceFormat format = TraceFormats.byName(subject.format());
      PerFilePath path = new PerFilePath(format);
      TraceMutation[] kinds = TraceMutation.values();
      for (int id = 0; id < CASES; id++) {
        TraceMutation kind = kinds[id % kinds.length];
        TraceMutation.Seed seed = subject.seeds().get((id / kinds.length) % subject.seeds().size());
        byte[] bytes = kind.apply(seed, new Random(SEED * 31 + id));
        Outcome outcome = runWithTimeout(() -> path.check(seed.name(), bytes));
        tally.computeIfAbsent(subject.format(), f -> new TreeMap<>())
            .computeIfAbsent(kind.name(), k -> new TreeMap<>())
            .merge(outcome.failure() == null ? outcome.label() : "FAILED", 1, Integer::sum);
        if (outcome.failure() != null) {
          failures.add(subject.format() + " case " + id + " (" + kind + "): " + outcome.failure());
        }
      }
    }
    System.out.println(render(tally));
    assertTrue(failures.isEmpty(), failures.size() + " cases failed, first ones:\n"
        + failures.stream().limit(15).collect(Collectors.joining("\n")));
    tally.forEach((format, byKind) -> assertEquals(CASES, byKind.values().stream()
        .flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum(), format));
  }

  private static Outcome runWithTimeout(java.util.concurrent.Callable<Outcome> check) {
    Future<Outcome> f = caseRunner.submit(check);
    try {
      return f.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      caseRunner.shutdownNow();
      caseRunner = newRunner();
      return new Outcome(null, "no outcome within " + CASE_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      return new Outcome(null, "unclassified " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The per-file work of an ETL task, with its checks. It reads from a stream, as
   * {@link TraceFileReader#read(String, Configuration)} does once the file is open; that method
   * also turns any runtime exception into {@code UNREADABLE_FILE}, which here would hide a
   * parser bug as a file error.
   */
  static final class PerFilePath {
    private final TraceFormat format;
    private final TraceFileReader reader;
    private final SeriesCleaner cleaner;
    private final SlidingWindows windows;

    PerFilePath(TraceFormat format) {
      this.format = format;
      EtlSettings.SourceSettings source = SETTINGS.source(format.name());
      SourceContext context = new SourceContext(source.timeOrigin().toEpochMilli() * 1000,
          Map.of(), MachineGrouping.of(source.grouping(), new Configuration(false)));
      this.reader = new TraceFileReader(format, context, EtlJob.rowLimits(SETTINGS, format));
      this.cleaner = new SeriesCleaner(SETTINGS.step().toNanos() / 1000, SETTINGS.maxGapSteps());
      this.windows = new SlidingWindows(new WindowSpec(SETTINGS.lookback(), SETTINGS.horizon(),
          SETTINGS.stride(), source.features(), source.targets(), SETTINGS.lags()),
          format.metrics(), SETTINGS.trainFraction(), SETTINGS.validationFraction());
    }

    Outcome check(String file, byte[] bytes) throws IOException {
      FileParse parse;
      try {
        parse = reader.read(file, new ByteArrayInputStream(bytes));
      } catch (BadFileException e) {
        if (!e.file().equals(file) || !e.getMessage().startsWith(file + ": " + e.reason() + ": ")
            || !e.reason().isFileLevel() || e.detail().contains(file + ": ")) {
          return new Outcome(null, "unclear file error: " + e.getMessage());
        }
        return Outcome.ok("file " + e.reason());
      }
      List<String> lines = decodedLines(bytes);
      // a header is the one line that is neither a row nor quarantined; headerless formats
      // have none, and a file with rows of a format with a header has one
      long headers = lines.size() - parse.rowsRead();
      boolean headerFormat = format.name().equals("bitbrains")
          || format.name().equals("google2019") && !lines.stream().filter(l -> !l.isBlank())
              .findFirst().orElse("").strip().startsWith("{");
      if (headers < 0 || headers > (headerFormat ? 1 : 0)
          || headerFormat && parse.rowsAccepted() > 0 && headers != 1) {
        return new Outcome(null, lines.size() + " lines but " + parse.rowsRead()
            + " rows read, " + parse.rowsAccepted() + " accepted");
      }
      long chunkRows = parse.chunks().stream().mapToLong(SeriesChunk::size).sum();
      if (parse.rowsRead() != parse.rowsAccepted() + parse.quarantined().size()
          || chunkRows != parse.rowsAccepted()) {
        return new Outcome(null, "counts: read " + parse.rowsRead() + ", accepted "
            + parse.rowsAccepted() + " (" + chunkRows + " in series), quarantined "
            + parse.quarantined().size());
      }
      for (QuarantineRecord q : parse.quarantined()) {
        String raw = lines.get((int) q.line() - 1);
        if (!q.file().equals(file) || q.reason().isFileLevel() || !raw.startsWith(q.raw())) {
          return new Outcome(null, "quarantine record " + q + " does not match line " + q.line());
        }
      }
      for (SeriesChunk chunk : parse.chunks()) {
        CleanedSeries s = cleaner.clean(chunk);
        windows.plan(s);
        if (s.stats().rowsIn() != chunk.size()) {
          return new Outcome(null, "cleaning saw " + s.stats().rowsIn() + " of " + chunk.size());
        }
      }
      return Outcome.ok(parse.quarantined().isEmpty() ? "rows accepted"
          : parse.rowsAccepted() == 0 ? "rows quarantined" : "rows accepted + quarantined");
    }
  }

  // ------------------------------------------------------------------ whole ETL

  /**
   * The worst cases of each format through the ETL job: one clean file, several mutated ones
   * and a truncated gzip; with skip-bad-files the manifest, per file and in total, and the
   * quarantine table account for every row the per-file path reads; without it the run fails
   * naming the truncated file.
   */
  @Test
  void worstCasesReconcileThroughTheWholeEtl() throws IOException {
    SparkSession spark = SparkTestSession.get();
    TraceMutation[] worst = {TraceMutation.COMBINED, TraceMutation.NAN_AND_INFINITY,
        TraceMutation.HEADER_IN_MIDDLE, TraceMutation.HUGE_AND_NEGATIVE_NUMBERS};
    for (Subject subject : subjects()) {
      TraceFormat format = TraceFormats.byName(subject.format());
      TraceMutation.Seed seed = subject.seeds().get(0);
      Path dir = tmp.resolve("etl-" + subject.format()).resolve("2013-7");
      Files.createDirectories(dir);
      PerFilePath path = new PerFilePath(format);
      List<String> inputs = new ArrayList<>();
      List<String> bad = new ArrayList<>();
      for (int i = 0; i <= worst.length; i++) {
        byte[] bytes = i == 0 ? TraceMutation.join(seed.lines())
            : worst[i - 1].apply(seed, new Random(SEED + i));
        Path file = dir.resolve(i + ".csv");
        Files.write(file, bytes);
        inputs.add(file.toString());
        Outcome outcome = path.check(file.toString(), bytes);
        assertNotNull(outcome.label(), outcome.failure());
        if (outcome.label().startsWith("file ")) {
          bad.add(file.getFileName().toString());
        }
      }
      Path truncated = dir.resolve("truncated.csv.gz");
      Files.write(truncated, TraceMutation.TRUNCATED_GZIP.apply(seed, new Random(SEED)));
      inputs.add(truncated.toString());
      bad.add("truncated.csv.gz");

      String out = tmp.resolve("out-" + subject.format()).toString();
      BadFileException failed = assertThrows(BadFileException.class, () -> EtlJob.run(spark,
          new EtlRequest(subject.format(), inputs, out, false, Optional.empty(), SETTINGS)));
      assertTrue(bad.contains(new org.apache.hadoop.fs.Path(failed.file()).getName()),
          failed.getMessage());
      assertTrue(failed.getMessage().contains("skip-bad-files"), failed.getMessage());

      Manifest m = EtlJob.run(spark, new EtlRequest(subject.format(), inputs, out, false,
          Optional.empty(), SETTINGS.toBuilder().skipBadFiles(true).build()));
      Manifest.Counts c = m.counts();
      assertEquals(bad.size(), c.filesSkipped(), subject.format());
      assertEquals(inputs.size() - bad.size(), c.filesRead());
      assertEquals(c.rowsRead(), c.rowsAccepted() + c.rowsQuarantined(), subject.format());
      Map<String, Long> quarantinedPerFile = new TreeMap<>();
      DatasetReader.open(spark, out).quarantine(spark).groupBy("file").count().collectAsList()
          .forEach(r -> quarantinedPerFile.put(new org.apache.hadoop.fs.Path(r.getString(0))
              .getName(), r.getLong(1)));
      long read = 0;
      long accepted = 0;
      for (String input : inputs) {
        if (bad.contains(new org.apache.hadoop.fs.Path(input).getName())) {
          continue;
        }
        FileParse p = new TraceFileReader(format, new SourceContext(
            SETTINGS.source(format.name()).timeOrigin().toEpochMilli() * 1000, Map.of(),
            MachineGrouping.byMachine()), EtlJob.rowLimits(SETTINGS, format))
            .read(input, new Configuration(false));
        read += p.rowsRead();
        accepted += p.rowsAccepted();
        String name = new org.apache.hadoop.fs.Path(input).getName();
        assertEquals(p.quarantined().size(), quarantinedPerFile.getOrDefault(name, 0L),
            subject.format() + " " + name + ": quarantined rows in the table");
      }
      assertEquals(read, c.rowsRead(), subject.format() + ": rows read");
      assertEquals(accepted, c.rowsAccepted(), subject.format() + ": rows accepted");
      assertEquals(c.rowsQuarantined(),
          quarantinedPerFile.values().stream().mapToLong(Long::longValue).sum());
      assertEquals(bad.stream().sorted().toList(), m.skippedFiles().stream()
          .map(s -> new org.apache.hadoop.fs.Path(s.path()).getName()).sorted().toList());
      List<Row> seriesRows = DatasetReader.open(spark, out).series(spark)
          .groupBy().count().collectAsList();
      assertEquals(m.series().stream().mapToLong(Manifest.SeriesEntry::points).sum(),
          seriesRows.get(0).getLong(0), subject.format() + ": series points");
    }
  }

  // ------------------------------------------------------------------ seeds and tally

  static String render(Map<String, Map<String, Map<String, Integer>>> tally) {
    StringBuilder sb = new StringBuilder("fuzz tally (seed " + SEED + ", " + CASES
        + " cases per format): format / mutation: outcome count\n");
    tally.forEach((format, byKind) -> {
      Map<String, Integer> total = new TreeMap<>();
      byKind.forEach((kind, outcomes) -> {
        sb.append(String.format("%-10s %-26s %s%n", format, kind, outcomes));
        outcomes.forEach((o, n) -> total.merge(o, n, Integer::sum));
      });
      sb.append(String.format("%-10s %-26s %s%n", format, "ALL", total));
    });
    return sb.toString();
  }

  private static List<String> decodedLines(byte[] bytes) throws IOException {
    byte[] plain = bytes;
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        plain = in.readAllBytes();
      }
    }
    // the reader drops a byte order mark at the start of the file
    return new String(plain, StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "").lines()
        .toList();
  }

  private static Path samples(String relative) {
    return SparkTestSession.repoRoot().resolve("data/samples").resolve(relative);
  }

  private static List<String> head(Path gz, int lines) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return text(in.readAllBytes()).stream().limit(lines).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = FuzzedInputTest.class.getResourceAsStream(name)) {
      assertNotNull(in, name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8).lines().toList();
  }

  /** Google 2011 has no sample: the hand-written task_usage rows of the published schema. */
  private static List<String> google2011Seed() {
    try {
      List<String> lines = new ArrayList<>();
      for (Path part : Google2011Fixture.write(Files.createTempDirectory("google2011-seed"))) {
        lines.addAll(Files.readAllLines(part));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
