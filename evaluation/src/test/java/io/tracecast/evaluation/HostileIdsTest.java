package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.common.IdPaths;
import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetLayout;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and long job ids (Azure VM ids, which are jobs without a vmtable) through ETL, training,
 * evaluation and the HTML report: every file stays under its root with names of at most 255
 * bytes, the ids come back whole from the data, the manifest and the registry, and the report
 * shows them escaped. Before the shared id-to-path rule, a 300-character VM id failed the ETL
 * with "Mkdirs failed to create .../job=xxxx...".
 */
class HostileIdsTest {
  /** Points per VM: 33 hours of 5-minute readings, enough for windows in every split. */
  private static final int ROWS_PER_VM = 400;
  static final String SCRIPT = "../../../x/<script>alert('pwned')</script>";
  static final String LONG_300 = repeat("yNf/R3+X=%\"'", 300);
  static final String LONG_1000 = repeat("雲-ü-<b>\"%'/../", 1000);

  @TempDir
  Path tmp;

  private static String repeat(String unit, int chars) {
    return unit.repeat(chars / unit.length() + 1).substring(0, chars);
  }

  @Test
  void hostileAndLongIdsStayUnderTheirRootsAndComeBackWholeAndEscaped() throws IOException {
    SparkSession spark = EvaluationFixture.spark();
    Map<String, String> ids = writeAzureInput(tmp.resolve("input/vm_cpu_readings.csv"));
    Set<String> expected = new TreeSet<>(ids.values());

    String dataset = tmp.resolve("dataset").toString();
    Manifest m = EtlJob.run(spark, new EtlRequest("azure",
        List.of(tmp.resolve("input").toString()), dataset, false, Optional.empty(),
        EtlSettings.builder().lookback(6).build()));
    assertEquals(expected, new TreeSet<>(m.jobs()), "manifest jobs");
    assertEquals(expected, m.series().stream().map(Manifest.SeriesEntry::seriesId)
        .collect(Collectors.toCollection(TreeSet::new)), "manifest series");
    DatasetReader reader = DatasetReader.open(spark, dataset);
    assertEquals(expected, distinct(reader.series(spark).select("job_id").collectAsList()));
    assertEquals(expected, distinct(reader.windows(spark, Split.TRAIN).select("series_id")
        .collectAsList()));
    // a job filter finds a shortened partition by its full id
    assertEquals(Set.of(LONG_1000), distinct(reader.encodedWindows(spark, Split.TEST,
        List.of(LONG_1000)).select("job_id").collectAsList()));
    assertContained(tmp.resolve("dataset"));
    // a short id keeps the partition it always had; a long one gets prefix~hash
    Set<String> partitions;
    try (Stream<Path> dirs = Files.list(tmp.resolve("dataset/series"))) {
      partitions = dirs.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    String plain = ids.values().stream().filter(id -> id.length() < 100
        && !id.equals(SCRIPT)).findFirst().orElseThrow();
    assertTrue(partitions.contains("job=" + plain), partitions.toString());
    String fitted = DatasetLayout.jobPartition(LONG_300);
    assertTrue(IdPaths.isShortened(fitted) && LONG_300.startsWith(
        fitted.substring(0, fitted.lastIndexOf(IdPaths.MARK))), fitted);
    assertTrue(partitions.contains("job=" + ExternalCatalogUtils.escapePathName(fitted)));

    String registry = tmp.resolve("registry").toString();
    TrainResult trained = TrainJob.run(spark, new TrainRequest(dataset, registry, List.of(),
        TrainSettings.defaults(List.of(ModelKinds.parse("mlp")))
            .withExecution(1_000_000, 2, 1, tmp.resolve("checkpoints").toString())
            .withOverrides(NetworkOverrides.none().withEpochs(1, 1).withBatch(32, 0.01)
                .withUnits(ModelKinds.MLP, List.of(8, 4)))));
    assertTrue(trained.failed().isEmpty(), trained.failed().toString());
    assertEquals(expected.size(), trained.published().size());
    ModelRegistry models = ModelRegistry.open(registry, new Configuration());
    assertEquals(expected, models.list().stream().map(ModelVersion::job)
        .collect(Collectors.toCollection(TreeSet::new)), "registry lists the whole ids");
    assertEquals(LONG_1000, models.metadata(LONG_1000, "mlp", VersionRef.LATEST).job());
    assertContained(tmp.resolve("registry"));
    if (Files.exists(tmp.resolve("checkpoints"))) {
      assertContained(tmp.resolve("checkpoints"));
    }

    Path report = tmp.resolve("report");
    EvaluateJob.run(spark, new EvaluateRequest(dataset, registry, report.toString(), List.of(),
        EvaluationFixture.defaultSettings()));
    assertContained(report);
    String html = Files.readString(report.resolve("index.html"));
    assertFalse(html.contains("<script>alert"), "a raw <script> from an id");
    assertFalse(html.contains("<b>\""), "raw markup from an id");
    assertTrue(html.contains("../../../x/&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"),
        "the script id, escaped");
    assertTrue(html.contains(escaped(LONG_300)), "the 300-character id, whole and escaped");
    assertTrue(html.contains(escaped(LONG_1000)), "the 1000-character id, whole and escaped");
    // only the report's own tags: every '<' starts a tag name or a closing tag
    assertFalse(java.util.regex.Pattern.compile("<(?![a-zA-Z/!])").matcher(html).find());

    // everything the run wrote is under the test's directory
    assertContained(tmp);
  }

  /** What the report's escaping must make of an id. */
  private static String escaped(String id) {
    return id.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }

  /** Every path under {@code root} is inside it, and no name is over 255 bytes. */
  private static void assertContained(Path root) throws IOException {
    Path real = root.toRealPath();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        assertTrue(p.toRealPath().startsWith(real), p + " is outside " + root);
        for (Path name : root.relativize(p)) {
          int bytes = name.toString().getBytes(StandardCharsets.UTF_8).length;
          assertTrue(bytes <= 255, bytes + " bytes: " + name);
        }
      }
    }
  }

  private static Set<String> distinct(List<Row> rows) {
    return rows.stream().map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The first {@value #ROWS_PER_VM} readings of four VMs of the Azure sample, three of them
   * renamed to hostile ids; returns original VM id to the id written.
   */
  private static Map<String, String> writeAzureInput(Path file) throws IOException {
    Path sample = EvaluationFixture.root().resolve("data/samples/azure/vm_cpu_readings-sample.csv.gz");
    Map<String, List<String>> byVm = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(sample)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String vm = line.split(",", -1)[1];
        List<String> rows = byVm.get(vm);
        if (rows == null && byVm.size() < 4) {
          rows = new ArrayList<>();
          byVm.put(vm, rows);
        }
        if (rows != null && rows.size() < ROWS_PER_VM) {
          rows.add(line);
        }
      }
    }
    List<String> hostile = List.of(SCRIPT, LONG_300, LONG_1000);
    Map<String, String> ids = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, List<String>> e : byVm.entrySet()) {
      String id = i < hostile.size() ? hostile.get(i) : e.getKey();
      ids.put(e.getKey(), id);
      for (String line : e.getValue()) {
        String[] f = line.split(",", -1);
        f[1] = id;
        out.add(String.join(",", f));
      }
      i++;
    }
    Files.createDirectories(file.getParent());
    Files.write(file, out, StandardCharsets.UTF_8);
    return ids;
  }
}
