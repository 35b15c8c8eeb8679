package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * Batch prediction: a network named by model and version, and the champion the fixture's
 * evaluation aliased, whatever its family.
 */
class PredictJobTest {
  /** The network the fixture trained whose forecasts these tests check. */
  private static final String NETWORK = "lstm";

  private static PredictJob.Result predict(EvaluationFixture f, Path out, String split,
      boolean overwrite) {
    return PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
        out.toString(), "latest", NETWORK, PredictRequest.Windows.parse(split), List.of(), overwrite, 64));
  }

  private static List<Row> read(Path out) {
    return EvaluationFixture.spark().read().parquet(out.toString()).collectAsList();
  }

  private static String key(String series, long endMillis) {
    return series + "@" + endMillis;
  }

  private static Map<String, Row> byOrigin(List<Row> windows) {
    Map<String, Row> out = new HashMap<>();
    for (Row w : windows) {
      out.put(key(w.getString(w.fieldIndex("series_id")),
          w.getTimestamp(w.fieldIndex("end_time")).getTime()), w);
    }
    return out;
  }

  private static void assertMatchesTheNetwork(EvaluationFixture f, ComputationGraph net,
      Row forecast, Row window) {
    double direct = f.directForecast(net, window);
    assertEquals(direct, forecast.getDouble(forecast.fieldIndex("forecast")),
        1e-5 * Math.max(1, Math.abs(direct)));
    assertEquals(f.actual(window), forecast.getDouble(forecast.fieldIndex("actual")), 1e-9);
  }

  @Test
  void forecastsEveryTestWindowWithTheNetworkInOriginalUnits() throws IOException {
    EvaluationFixture f = EvaluationFixture.get();
    ModelVersion champion = f.openRegistry().resolve(EvaluationFixture.JOB, NETWORK, VersionRef.LATEST);
    Path out = f.dir.resolve("predict-test");
    PredictJob.Result r = predict(f, out, "test", false);

    List<Row> windows = f.windows(Split.TEST);
    List<Row> rows = read(out);
    assertEquals(windows.size(), rows.size());
    assertEquals(windows.size(), r.rows());
    assertEquals(champion.version(), r.versions().get(EvaluationFixture.JOB).version());
    Map<String, Row> window = byOrigin(windows);
    ComputationGraph net = f.openRegistry().load(EvaluationFixture.JOB, champion.model(),
        VersionRef.version(champion.version())).network();
    long stepMillis = f.manifest.stepSeconds() * 1000;
    for (Row p : rows) {
      assertEquals(champion.model(), p.getString(p.fieldIndex("model")));
      assertEquals(champion.version(), p.getInt(p.fieldIndex("version")));
      assertEquals(1, p.getInt(p.fieldIndex("step")));
      long origin = p.getTimestamp(p.fieldIndex("origin_time")).getTime();
      assertEquals(origin + stepMillis, p.getTimestamp(p.fieldIndex("target_time")).getTime());
    }
    for (Row p : rows.subList(0, Math.min(8, rows.size()))) {
      Row w = window.get(key(p.getString(p.fieldIndex("series_id")),
          p.getTimestamp(p.fieldIndex("origin_time")).getTime()));
      assertNotNull(w, "no test window ends at the forecast's origin " + p);
      assertMatchesTheNetwork(f, net, p, w);
    }

    // committed atomically: no staging directory left; an existing output is not replaced
    try (Stream<Path> s = Files.list(f.dir)) {
      assertEquals(List.of(), s.filter(x -> x.getFileName().toString().startsWith(
          ".predict-test")).toList());
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> predict(f, out, "test", false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(windows.size(), read(out).size(), "the failed run left the output alone");
  }

  @Test
  void latestForecastsTheLastWindowOfEverySeriesOnce() {
    EvaluationFixture f = EvaluationFixture.get();
    ModelVersion champion = f.openRegistry().resolve(EvaluationFixture.JOB, NETWORK, VersionRef.LATEST);
    Path out = f.dir.resolve("predict-latest");
    predict(f, out, "latest", false);
    List<Row> rows = read(out);
    assertEquals(f.manifest.series().size(), rows.size());
    assertEquals(2, rows.stream().map(p -> p.getString(p.fieldIndex("series_id"))).distinct()
        .count());
    // the last window of each series, over every split (the test split ends last)
    Map<String, Long> lastEnd = new HashMap<>();
    for (Row w : f.windows(Split.TEST)) {
      lastEnd.merge(w.getString(w.fieldIndex("series_id")),
          w.getTimestamp(w.fieldIndex("end_time")).getTime(), Math::max);
    }
    Map<String, Row> window = byOrigin(f.windows(Split.TEST));
    ComputationGraph net = f.openRegistry().load(EvaluationFixture.JOB, champion.model(),
        VersionRef.version(champion.version())).network();
    for (Row p : rows) {
      String series = p.getString(p.fieldIndex("series_id"));
      long origin = p.getTimestamp(p.fieldIndex("origin_time")).getTime();
      assertEquals(lastEnd.get(series), origin, series);
      assertEquals(champion.version(), p.getInt(p.fieldIndex("version")));
      assertEquals(champion.model(), p.getString(p.fieldIndex("model")));
      assertMatchesTheNetwork(f, net, p, window.get(key(series, origin)));
    }
    // overwrite replaces the output atomically
    predict(f, out, "latest", true);
    assertEquals(rows.size(), read(out).size());
  }

  /** Each series' last time (ms) in the series table: the future's origin. */
  private static Map<String, Long> lastObserved(io.tracecast.etl.dataset.DatasetReader reader) {
    Map<String, Long> last = new HashMap<>();
    for (Row r : reader.series(EvaluationFixture.spark()).select("series_id", "ts")
        .collectAsList()) {
      last.merge(r.getString(0), r.getTimestamp(1).getTime(), Math::max);
    }
    return last;
  }

  /**
   * Rows of a future run: per series with a latest window, one per step 1..H and target, from
   * origin = its last observed time to target times k steps beyond it, with no actual.
   */
  private static void assertBeyondTheData(EvaluationFixture f, List<Row> rows) {
    assertBeyondTheData(f.reader(), rows);
  }

  private static void assertBeyondTheData(io.tracecast.etl.dataset.DatasetReader reader,
      List<Row> rows) {
    Map<String, Long> last = lastObserved(reader);
    io.tracecast.etl.dataset.Manifest m = reader.manifest();
    int h = m.horizon();
    assertEquals(last.size() * h * m.targets().size(), rows.size(), "rows " + rows);
    long stepMillis = m.stepSeconds() * 1000;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Row p : rows) {
      String series = p.getString(p.fieldIndex("series_id"));
      int step = p.getInt(p.fieldIndex("step"));
      long origin = p.getTimestamp(p.fieldIndex("origin_time")).getTime();
      long target = p.getTimestamp(p.fieldIndex("target_time")).getTime();
      assertTrue(step >= 1 && step <= h, "step " + step);
      assertEquals(last.get(series), origin, "the origin is the last observed step of " + series);
      assertEquals(origin + step * stepMillis, target);
      assertTrue(target > last.get(series), "beyond the data");
      assertTrue(p.isNullAt(p.fieldIndex("actual")), "no actual beyond the data: " + p);
      assertTrue(seen.add(series + "/" + step + "/" + p.getString(p.fieldIndex("target"))));
    }
  }

  private static final org.apache.spark.sql.expressions.UserDefinedFunction DECODE =
      org.apache.spark.sql.functions.udf(
          (org.apache.spark.sql.api.java.UDF1<byte[], float[]>)
              io.tracecast.etl.dataset.Float32Codec::decode,
          org.apache.spark.sql.types.DataTypes.createArrayType(
              org.apache.spark.sql.types.DataTypes.FloatType, false));

  /**
   * Cut a series just after a test window the ETL wrote: the latest window of the cut is, byte
   * for byte, that window (inputs in model space, anchor and scale), at the same end and
   * segment. The ETL's windows are the independent computation here.
   */
  @Test
  void theFutureWindowIsTheEtlWindowAtTheSameOriginWhenTheDataContinues() {
    EvaluationFixture f = EvaluationFixture.get();
    org.apache.spark.sql.SparkSession spark = EvaluationFixture.spark();
    io.tracecast.etl.dataset.DatasetReader reader = f.reader();
    List<Row> etl = reader.encodedWindows(spark, Split.TEST).orderBy("series_id", "end_time")
        .collectAsList();
    assertTrue(etl.size() > 8, "test windows " + etl.size());
    // the first, a middle and the last test window of the first series, the last of the other
    List<Row> chosen = new java.util.ArrayList<>(List.of(etl.get(0), etl.get(etl.size() / 4)));
    String first = etl.get(0).getString(etl.get(0).fieldIndex("series_id"));
    for (int i = 1; i < etl.size(); i++) {
      Row w = etl.get(i);
      boolean lastOfSeries = i + 1 == etl.size() || !etl.get(i + 1).getString(
          etl.get(i + 1).fieldIndex("series_id")).equals(w.getString(w.fieldIndex("series_id")));
      if (lastOfSeries) {
        chosen.add(w);
      }
    }
    assertEquals(4, chosen.size());
    for (Row w : chosen) {
      String series = w.getString(w.fieldIndex("series_id"));
      java.sql.Timestamp end = w.getTimestamp(w.fieldIndex("end_time"));
      List<Row> latest = reader.latestWindows(spark, reader.series(spark)
          .where(org.apache.spark.sql.functions.col("series_id").equalTo(series)
              .and(org.apache.spark.sql.functions.col("ts").leq(end)))).collectAsList();
      assertEquals(1, latest.size());
      Row l = latest.get(0);
      assertEquals(end, l.getTimestamp(l.fieldIndex("end_time")), series);
      assertEquals(w.getInt(w.fieldIndex("segment")), l.getInt(l.fieldIndex("segment")));
      assertEquals(Split.BEYOND_THE_DATA.label(), l.getString(l.fieldIndex("split")));
      for (String column : List.of("inputs", "anchor", "scale")) {
        org.junit.jupiter.api.Assertions.assertArrayEquals((byte[]) w.get(w.fieldIndex(column)),
            (byte[]) l.get(l.fieldIndex(column)), column + " of " + series + " at " + end);
      }
    }
  }

  @Test
  void futureForecastsTheStepsAfterEachSeriesLastObservationWithTheNetwork() {
    EvaluationFixture f = EvaluationFixture.get();
    ModelVersion v = f.openRegistry().resolve(EvaluationFixture.JOB, NETWORK, VersionRef.LATEST);
    Path out = f.dir.resolve("predict-future");
    PredictJob.Result r = predict(f, out, "future", false);
    List<Row> rows = read(out);
    assertEquals(rows.size(), r.rows());
    assertBeyondTheData(f, rows);
    ComputationGraph net = f.openRegistry().load(EvaluationFixture.JOB, v.model(),
        VersionRef.version(v.version())).network();
    Map<String, Row> window = byOrigin(f.reader().latestWindows(EvaluationFixture.spark(),
            List.of(EvaluationFixture.JOB))
        .withColumn("inputs", DECODE.apply(org.apache.spark.sql.functions.col("inputs")))
        .collectAsList());
    for (Row p : rows) {
      assertEquals(v.model(), p.getString(p.fieldIndex("model")));
      assertEquals(v.version(), p.getInt(p.fieldIndex("version")));
      Row w = window.get(key(p.getString(p.fieldIndex("series_id")),
          p.getTimestamp(p.fieldIndex("origin_time")).getTime()));
      double direct = f.directForecast(net, w);
      assertEquals(direct, p.getDouble(p.fieldIndex("forecast")),
          1e-5 * Math.max(1, Math.abs(direct)));
    }
  }

  /**
   * The fixture's raw rows through the ETL at horizon 3, persistence published as the champion
   * into an empty registry: the default run forecasts 3 steps per series, each the series' last
   * observed cpu (from the series table), at origin + 1, 2, 3 steps.
   */
  @Test
  void aPersistenceChampionForecastsTheLastValueAtEveryStepOfAThreeStepHorizon() {
    EvaluationFixture f = EvaluationFixture.get();
    org.apache.spark.sql.SparkSession spark = EvaluationFixture.spark();
    String dataset = f.dir.resolve("dataset-h3").toString();
    io.tracecast.etl.dataset.Manifest m = io.tracecast.etl.EtlJob.run(spark,
        new io.tracecast.etl.EtlRequest("bitbrains", List.of(f.dir.resolve("bitbrains")
            .toString()), dataset, false, java.util.Optional.empty(),
            io.tracecast.etl.config.EtlSettings.builder().lookback(6).horizon(3).build()));
    assertEquals(3, m.horizon());
    String registry = f.dir.resolve("registry-h3").toString();
    io.tracecast.evaluation.scoring.ChampionPublisher.publish(
        io.tracecast.training.registry.ModelRegistry.open(registry,
            spark.sparkContext().hadoopConfiguration()), m, dataset,
        new Champion(EvaluationFixture.JOB, "persistence", ModelFamily.BASELINE, 0, 0,
            "validation_mae", 1, 1, "test"), f.settings, List.of(), "champion");
    Path out = f.dir.resolve("predict-h3");
    PredictJob.run(spark, new PredictRequest(dataset, registry, out.toString(), "champion", null,
        PredictRequest.Windows.FUTURE, List.of(), false, 64));
    io.tracecast.etl.dataset.DatasetReader reader =
        io.tracecast.etl.dataset.DatasetReader.open(spark, dataset);
    List<Row> rows = read(out);
    assertBeyondTheData(reader, rows);
    Map<String, Double> cpu = new HashMap<>();
    for (Row r : reader.series(spark).select("series_id", "ts", "cpu").collectAsList()) {
      cpu.put(key(r.getString(0), r.getTimestamp(1).getTime()), r.getDouble(2));
    }
    assertEquals(java.util.Set.of(1, 2, 3),
        rows.stream().map(p -> p.getInt(p.fieldIndex("step"))).collect(
            java.util.stream.Collectors.toSet()));
    for (Row p : rows) {
      assertEquals("persistence", p.getString(p.fieldIndex("model")));
      long origin = p.getTimestamp(p.fieldIndex("origin_time")).getTime();
      assertEquals(cpu.get(key(p.getString(p.fieldIndex("series_id")), origin)),
          p.getDouble(p.fieldIndex("forecast")), 0.0, "the last observed value at " + p);
    }
  }

  /**
   * Fresh raw files holding the header and the data lines after the first {@code skip} of the
   * fixture's per-VM files, under a folder named like the job (Bitbrains: folder = job, file =
   * VM), each VM's file renamed by {@code vms} (fixture VM -> fresh file name).
   */
  private static Path freshFiles(EvaluationFixture f, String name, int skip,
      Map<String, String> vms) throws IOException {
    Path dir = f.dir.resolve(name).resolve(EvaluationFixture.JOB);
    Files.createDirectories(dir);
    for (Map.Entry<String, String> vm : vms.entrySet()) {
      Path from = f.dir.resolve("bitbrains").resolve(EvaluationFixture.JOB)
          .resolve(vm.getKey() + ".csv.gz");
      List<String> lines;
      try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
          new java.util.zip.GZIPInputStream(Files.newInputStream(from)),
          java.nio.charset.StandardCharsets.UTF_8))) {
        lines = r.lines().toList();
      }
      try (java.io.Writer w = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
          Files.newOutputStream(dir.resolve(vm.getValue() + ".csv.gz"))),
          java.nio.charset.StandardCharsets.UTF_8)) {
        w.write(lines.get(0) + "\n");
        for (String line : lines.subList(1 + skip, lines.size())) {
          w.write(line + "\n");
        }
      }
    }
    return dir.getParent();
  }

  /**
   * The last 350 of the fixture's 400 raw rows per VM (29 hours: more than the lookback plus the
   * 1-day seasonal lag), passed as fresh files: read, cleaned and scaled like the dataset, their
   * latest windows are byte for byte the dataset's own latest windows (same last step), and the
   * forecasts from them equal the forecasts from the dataset, with the same origins.
   */
  @Test
  void freshFilesAreForecastFromTheirLastStepLikeTheDatasetTheyRepeat() throws IOException {
    EvaluationFixture f = EvaluationFixture.get();
    org.apache.spark.sql.SparkSession spark = EvaluationFixture.spark();
    Path fresh = freshFiles(f, "fresh", 50, Map.of("1", "1", "2", "2"));
    io.tracecast.etl.dataset.DatasetReader reader = f.reader();
    Map<String, Row> fromDataset = byOrigin(reader.latestWindows(spark,
        List.of(EvaluationFixture.JOB)).collectAsList());
    List<Row> fromFresh = reader.latestWindows(spark,
        reader.freshSeries(spark, List.of(fresh.toString()))).collectAsList();
    assertEquals(2, fromFresh.size());
    for (Row l : fromFresh) {
      Row d = fromDataset.get(key(l.getString(l.fieldIndex("series_id")),
          l.getTimestamp(l.fieldIndex("end_time")).getTime()));
      assertNotNull(d, "the dataset's latest window ends where the fresh one does: " + l);
      for (String column : List.of("inputs", "anchor", "scale")) {
        org.junit.jupiter.api.Assertions.assertArrayEquals((byte[]) d.get(d.fieldIndex(column)),
            (byte[]) l.get(l.fieldIndex(column)), column);
      }
    }
    Path out = f.dir.resolve("predict-fresh");
    PredictJob.run(spark, new PredictRequest(f.dataset, f.registry, out.toString(), "latest",
        NETWORK, PredictRequest.Windows.FUTURE, List.of(), false, 64,
        List.of(fresh.toString()), "bitbrains"));
    List<Row> rows = read(out);
    assertBeyondTheData(f, rows);
    Path same = f.dir.resolve("predict-fresh-reference");
    predict(f, same, "future", false);
    Map<String, Double> reference = new HashMap<>();
    read(same).forEach(p -> reference.put(key(p.getString(p.fieldIndex("series_id")),
        p.getTimestamp(p.fieldIndex("target_time")).getTime()),
        p.getDouble(p.fieldIndex("forecast"))));
    for (Row p : rows) {
      Double expected = reference.get(key(p.getString(p.fieldIndex("series_id")),
          p.getTimestamp(p.fieldIndex("target_time")).getTime()));
      assertNotNull(expected, "the dataset's future has the fresh row's target " + p);
      assertEquals(expected, p.getDouble(p.fieldIndex("forecast")), 1e-9);
    }
  }

  @Test
  void freshFilesAreForecastOnlyFromTheirLastStep() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PredictRequest("d", "r", "o", "champion", null, PredictRequest.Windows.LATEST,
            List.of(), false, 64, List.of("fresh/"), null));
    assertTrue(e.getMessage().contains("not scored at last-window"), e.getMessage());
    IllegalArgumentException source = assertThrows(IllegalArgumentException.class,
        () -> new PredictRequest("d", "r", "o", "champion", null, PredictRequest.Windows.FUTURE,
            List.of(), false, 64, List.of(), "azure"));
    assertTrue(source.getMessage().contains("none are given"), source.getMessage());
  }

  @Test
  void freshFilesOfAnUnknownSeriesOrAnotherFormatFailNamingThem() throws IOException {
    EvaluationFixture f = EvaluationFixture.get();
    Path unknown = freshFiles(f, "fresh-unknown", 300, Map.of("1", "1", "2", "99"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
            f.dir.resolve("predict-unknown").toString(), "latest", NETWORK,
            PredictRequest.Windows.FUTURE, List.of(), false, 64, List.of(unknown.toString()),
            null)));
    assertTrue(e.getMessage().contains("[" + EvaluationFixture.JOB + "/99]")
        && e.getMessage().contains("not in dataset"), e.getMessage());
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
        () -> PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
            f.dir.resolve("predict-azure").toString(), "latest", NETWORK,
            PredictRequest.Windows.FUTURE, List.of(), false, 64, List.of(unknown.toString()),
            "azure")));
    assertTrue(format.getMessage().contains("built from bitbrains"), format.getMessage());
    assertTrue(Files.notExists(f.dir.resolve("predict-unknown"))
        && Files.notExists(f.dir.resolve("predict-azure")), "nothing written");
  }

  /**
   * Conformal offsets of {@code residuals} at miscoverage {@code alpha} (kept inside (0, 1)):
   * ranks floor((n + 1) alpha/2) and ceil((n + 1)(1 - alpha/2)), the extremes beyond them.
   */
  private static double[] ranked(List<Double> residuals, double alpha) {
    List<Double> r = new java.util.ArrayList<>(residuals);
    r.sort(null);
    int n = r.size();
    double a = Math.min(1 - 1e-6, Math.max(1e-6, alpha));
    int lo = (int) Math.floor((n + 1) * a / 2 + 1e-9);
    int hi = (int) Math.ceil((n + 1) * (1 - a / 2) - 1e-9);
    return lo < 1 || hi > n ? new double[] {r.get(0), r.get(n - 1)}
        : new double[] {r.get(lo - 1), r.get(hi - 1)};
  }

  @Test
  void theChampionIsServedWhateverItsFamilyAndAPersistenceChampionForecastsTheLastValue() {
    EvaluationFixture f = EvaluationFixture.get();
    Champion c = f.evaluated.report().champions().get(EvaluationFixture.JOB);
    ModelVersion alias = f.openRegistry().aliases(EvaluationFixture.JOB).get("champion");
    assertNotNull(alias, "the fixture's evaluation sets the champion");
    Path out = f.dir.resolve("predict-champion");
    PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
        out.toString(), "champion", null, PredictRequest.Windows.TEST, List.of(), false, 64));
    List<Row> rows = read(out);
    assertEquals(f.windows(Split.TEST).size(), rows.size(), "one forecast per test window of "
        + c + ": " + rows.subList(0, 3));
    for (Row p : rows) {
      assertEquals(alias.model(), p.getString(p.fieldIndex("model")));
      assertEquals(alias.version(), p.getInt(p.fieldIndex("version")));
    }
    // persistence, published as a baseline version, must serve exactly the last value
    Path persisted = f.dir.resolve("predict-persistence");
    ModelVersion persistence = io.tracecast.evaluation.scoring.ChampionPublisher.publish(
        f.openRegistry(), f.manifest, f.dataset, new Champion(EvaluationFixture.JOB,
            "persistence", ModelFamily.BASELINE, 0, 0, "validation_mae", 1, 1, "test"),
        f.settings, List.of(), "served-persistence").registryVersion() > 0
        ? f.openRegistry().aliases(EvaluationFixture.JOB).get("served-persistence") : null;
    assertNotNull(persistence);
    assertEquals(ModelFamily.BASELINE, f.openRegistry().metadata(EvaluationFixture.JOB,
        "persistence", VersionRef.version(persistence.version())).family());
    PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
        persisted.toString(), "served-persistence", null, PredictRequest.Windows.TEST, List.of(), false, 64));
    Map<String, Double> cpu = new HashMap<>();
    for (Row r : f.reader().series(EvaluationFixture.spark()).select("series_id", "ts", "cpu")
        .collectAsList()) {
      cpu.put(key(r.getString(0), r.getTimestamp(1).getTime()), r.getDouble(2));
    }
    List<Row> served = read(persisted);
    assertEquals(f.windows(Split.TEST).size(), served.size());
    for (Row p : served) {
      String series = p.getString(p.fieldIndex("series_id"));
      long origin = p.getTimestamp(p.fieldIndex("origin_time")).getTime();
      assertEquals(cpu.get(key(series, origin)), p.getDouble(p.fieldIndex("forecast")), 0.0,
          "persistence forecasts the value at the origin exactly");
    }
    // its 80 % interval: persistence's step-1 residuals at the windows' targets, ranked here by
    // the conformal rule (floor / ceil of (n + 1) a/2 and (n + 1)(1 - a/2)), added to the
    // served value at every step, the lower bound clipped at 0 (usage is never negative). Which
    // residuals and which a: under split calibration the validation ones at a = 0.2; under
    // rolling the state at the end of the data, replayed here forecast by forecast: the last
    // `window` residuals (capped at the validation ones) by target time, then series, at ACI's
    // running level (each observed forecast moves it by gamma x (a - miss of its issued band))
    long stepMillis = f.manifest.stepSeconds() * 1000;
    List<Object[]> observed = new java.util.ArrayList<>();
    for (Split split : List.of(Split.VALIDATION, Split.TEST)) {
      for (Row w : f.windows(split)) {
        String series = w.getString(w.fieldIndex("series_id"));
        long origin = w.getTimestamp(w.fieldIndex("end_time")).getTime();
        observed.add(new Object[] {origin + stepMillis, series, split,
            cpu.get(key(series, origin + stepMillis)) - cpu.get(key(series, origin))});
      }
    }
    observed.sort(java.util.Comparator.comparing((Object[] o) -> (Long) o[0])
        .thenComparing(o -> (String) o[1]));
    double[] splitBand = ranked(observed.stream().filter(o -> o[2] == Split.VALIDATION)
        .map(o -> (Double) o[3]).toList(), 0.2);
    var calibration = f.settings.intervalCalibration();
    double[] band = splitBand;
    if (calibration.mode() == io.tracecast.evaluation.interval.IntervalCalibration.Mode.ROLLING) {
      int window = Math.max(19, Math.min(calibration.window(), (int) observed.stream()
          .filter(o -> o[2] == Split.VALIDATION).count()));
      double alpha = 0.2;
      double[][] issued = new double[observed.size()][];
      java.util.ArrayDeque<Double> recent = new java.util.ArrayDeque<>();
      int seen = 0;
      for (int i = 0; i <= observed.size(); i++) {
        long origin = i < observed.size() ? (Long) observed.get(i)[0] - stepMillis
            : Long.MAX_VALUE;
        for (; seen < i && (Long) observed.get(seen)[0] <= origin; seen++) {
          double r = (Double) observed.get(seen)[3];
          recent.addLast(r);
          if (recent.size() > window) {
            recent.removeFirst();
          }
          boolean miss = r < issued[seen][0] || r > issued[seen][1];
          alpha += calibration.gamma() * (0.2 - (miss ? 1 : 0));
        }
        double[] now = recent.size() == window ? ranked(List.copyOf(recent), alpha) : splitBand;
        if (i < observed.size()) {
          issued[i] = now;
        } else {
          band = now;
        }
      }
    }
    double lo = band[0];
    double hi = band[1];
    for (Row p : served) {
      double point = p.getDouble(p.fieldIndex("forecast"));
      assertEquals(Math.max(0, point + lo), p.getDouble(p.fieldIndex("p10")), 1e-9, "p10 of " + p);
      assertEquals(point + hi, p.getDouble(p.fieldIndex("p90")), 1e-9, "p90 of " + p);
      assertTrue(p.getDouble(p.fieldIndex("p5")) <= p.getDouble(p.fieldIndex("p10"))
          && p.getDouble(p.fieldIndex("p90")) <= p.getDouble(p.fieldIndex("p95")), "nested");
    }
    // beyond the data (the default): the last observed value at every step, the same bands
    Path future = f.dir.resolve("predict-persistence-future");
    PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
        future.toString(), "served-persistence", null, PredictRequest.Windows.FUTURE, List.of(),
        false, 64));
    List<Row> ahead = read(future);
    assertBeyondTheData(f, ahead);
    for (Row p : ahead) {
      String series = p.getString(p.fieldIndex("series_id"));
      long origin = p.getTimestamp(p.fieldIndex("origin_time")).getTime();
      double point = p.getDouble(p.fieldIndex("forecast"));
      assertEquals(cpu.get(key(series, origin)), point, 0.0, "the last value, at every step");
      if (p.getInt(p.fieldIndex("step")) == 1) {
        assertEquals(Math.max(0, point + lo), p.getDouble(p.fieldIndex("p10")), 1e-9, "p10 of " + p);
        assertEquals(point + hi, p.getDouble(p.fieldIndex("p90")), 1e-9, "p90 of " + p);
      }
    }
    // the evaluated champion, whatever its family, serves the future too
    Path championAhead = f.dir.resolve("predict-champion-future");
    PredictJob.run(EvaluationFixture.spark(), new PredictRequest(f.dataset, f.registry,
        championAhead.toString(), "champion", null, PredictRequest.Windows.FUTURE, List.of(),
        false, 64));
    List<Row> championRows = read(championAhead);
    assertBeyondTheData(f, championRows);
    for (Row p : championRows) {
      assertEquals(alias.model(), p.getString(p.fieldIndex("model")));
      assertTrue(Double.isFinite(p.getDouble(p.fieldIndex("forecast"))), "forecast of " + p);
    }
    // publishing the same baseline again reuses its version (idempotent)
    int again = io.tracecast.evaluation.scoring.ChampionPublisher.publish(f.openRegistry(),
        f.manifest, f.dataset, new Champion(EvaluationFixture.JOB, "persistence",
            ModelFamily.BASELINE, 0, 0, "validation_mae", 1, 1, "test"), f.settings, List.of(),
        "served-persistence").registryVersion();
    assertEquals(persistence.version(), again);
    assertNotNull(c);
  }
}
