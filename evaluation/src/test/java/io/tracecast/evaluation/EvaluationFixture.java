package io.tracecast.evaluation;

import com.typesafe.config.ConfigFactory;
import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One evaluated dataset per test JVM: two Bitbrains VMs of the bundled sample cut to their first
 * {@value #ROWS} rows, through the real ETL (lookback 6), an MLP and an LSTM trained for two
 * epochs into a temporary registry, and {@link EvaluateJob} run with the documented defaults of
 * conf/application.conf.
 */
final class EvaluationFixture {
  static final int ROWS = 400;
  static final String JOB = "2013-7";
  private static EvaluationFixture instance;
  private static RuntimeException failure;

  final Path dir;
  final String dataset;
  final String registry;
  final Path reportDir;
  final Manifest manifest;
  final TrainResult trained;
  final EvaluationResult evaluated;
  final EvaluationSettings settings;

  private EvaluationFixture(Path dir) throws IOException {
    this.dir = dir;
    Path input = dir.resolve("bitbrains").resolve(JOB);
    Files.createDirectories(input);
    for (String vm : List.of("1", "2")) {
      io.tracecast.etl.TraceCuts.cutGzip(root().resolve("data/samples/bitbrains/2013-7/" + vm
          + ".csv.gz"), input.resolve(vm + ".csv.gz"), ROWS);
    }
    dataset = dir.resolve("dataset").toString();
    manifest = EtlJob.run(spark(), new EtlRequest("bitbrains", List.of(input.toString()),
        dataset, false, Optional.empty(), EtlSettings.builder().lookback(6).build()));
    registry = dir.resolve("registry").toString();
    trained = TrainJob.run(spark(), new TrainRequest(dataset, registry, List.of(),
        TrainSettings.defaults(List.of(ModelKinds.parse("mlp"), ModelKinds.parse("lstm")))
            .withExecution(1_000_000, 2, 1, "")
            .withOverrides(NetworkOverrides.none().withEpochs(2, 2).withBatch(32, 0.01)
                .withUnits(ModelKinds.MLP, List.of(8, 4))
                .withUnits(ModelKinds.LSTM, List.of(4)))));
    if (!trained.failed().isEmpty() || trained.published().size() != 2) {
      throw new IllegalStateException("fixture training failed: " + trained.failed());
    }
    settings = defaultSettings();
    reportDir = dir.resolve("report");
    evaluated = EvaluateJob.run(spark(), new EvaluateRequest(dataset, registry,
        reportDir.toString(), List.of(), settings));
  }

  static synchronized EvaluationFixture get() {
    if (failure != null) {
      throw new IllegalStateException("the fixture failed before", failure);
    }
    if (instance == null) {
      try {
        instance = new EvaluationFixture(Files.createTempDirectory("tracecast-evaluation"));
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
        throw failure;
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
    return instance;
  }

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  static Path root() {
    return SparkTestSession.repoRoot();
  }

  /** tracecast.evaluate as documented in conf/application.conf. */
  static EvaluationSettings defaultSettings() {
    return EvaluationSettingsParser.parse(ConfigFactory.parseFile(
        root().resolve("conf").resolve("application.conf").toFile()).resolve());
  }

  DatasetReader reader() {
    return DatasetReader.open(spark(), dataset);
  }

  ModelRegistry openRegistry() {
    return ModelRegistry.open(registry, new Configuration());
  }

  /** Decoded windows of a split: job_id, series_id, segment, end_time, inputs, targets. */
  List<Row> windows(Split split) {
    return reader().windows(spark(), split).collectAsList();
  }

  /** cpu in original units by series and time (ms), from the series table. */
  private Map<String, Double> cpuByTime;

  private synchronized Map<String, Double> cpu() {
    if (cpuByTime == null) {
      Map<String, Double> m = new java.util.HashMap<>();
      for (Row r : reader().series(spark()).select("series_id", "ts", "cpu").collectAsList()) {
        m.put(r.getString(0) + "@" + r.getTimestamp(1).getTime(), r.getDouble(2));
      }
      cpuByTime = m;
    }
    return cpuByTime;
  }

  private double cpuAt(Row window, int stepsAfterEnd) {
    long t = window.getTimestamp(window.fieldIndex("end_time")).getTime()
        + stepsAfterEnd * manifest.stepSeconds() * 1000;
    return cpu().get(window.getString(window.fieldIndex("series_id")) + "@" + t);
  }

  /**
   * The network's one-step point forecast of a window in original units, computed here without
   * the evaluation's code: one window, the network's single output, and the dataset's
   * window normalisation undone by hand (the last cpu value from the series table plus the
   * output times the series' cpu scale from the manifest, never below 0).
   */
  double directForecast(ComputationGraph net, Row window) {
    List<?> in = window.getList(window.fieldIndex("inputs"));
    float[] x = new float[in.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = ((Number) in.get(i)).floatValue();
    }
    float[] out = net.outputSingle(WindowTensors.features(List.of(x), NetworkShape.of(manifest)))
        .toFloatVector();
    String series = window.getString(window.fieldIndex("series_id"));
    double scale = manifest.series().stream().filter(e -> e.seriesId().equals(series))
        .findFirst().orElseThrow().scales().get("cpu");
    return Math.max(0, cpuAt(window, 0) + scale * out[0]);
  }

  /** The window's target in original units, from the series table. */
  double actual(Row window) {
    return cpuAt(window, 1);
  }
}
