package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Float32Codec;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowScaling;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.evaluation.scoring.CandidateFinder;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.PatternSettings;
import io.tracecast.training.config.PooledSettings;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.pattern.PatternModel;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job the registry has never seen is served the pooled model of its usage pattern: gbt_pattern
 * trained on the Alibaba sample without machine m_1932, then a second dataset holding only
 * m_1932's rows under a new id is predicted through the first dataset's registry.
 */
class PatternServingTest {
  private static final String NEW_JOB = "m_new";

  private static SparkSession spark() {
    return EvaluationFixture.spark();
  }

  /** The Alibaba sample's rows whose machine passes {@code keep}, machine ids mapped. */
  private static Path alibaba(Path dir, Function<String, String> rename) throws IOException {
    Path from = EvaluationFixture.root().resolve("data/samples/alibaba/machine_usage.csv.gz");
    Files.createDirectories(dir);
    Path to = dir.resolve("machine_usage.csv.gz");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(from)), StandardCharsets.UTF_8));
        Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(to)),
            StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        int comma = line.indexOf(',');
        String machine = rename.apply(line.substring(0, comma));
        if (machine != null) {
          w.write(machine + line.substring(comma) + "\n");
        }
      }
    }
    return to;
  }

  private static Manifest etl(Path input, Path out) {
    return EtlJob.run(spark(), new EtlRequest("alibaba", List.of(input.toString()),
        out.toString(), false, Optional.empty(), EtlSettings.builder().lookback(6).build()));
  }

  /** The last window of the new job, forecast here with the borrowed gbt_pattern booster. */
  private static double expectedForecast(Path dataset, ModelRegistry reg, String member) {
    DatasetReader reader = DatasetReader.open(spark(), dataset.toString());
    Row last = null;
    for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
      for (Row w : reader.encodedWindows(spark(), split, List.of(NEW_JOB)).collectAsList()) {
        if (last == null || w.getTimestamp(w.fieldIndex("end_time"))
            .after(last.getTimestamp(last.fieldIndex("end_time")))) {
          last = w;
        }
      }
    }
    GbtModel model = GbtModel.load(reg, reg.resolve(member, "gbt_pattern", VersionRef.LATEST));
    float[] out = model.predict(List.of(Float32Codec.decode((byte[]) last.get(
        last.fieldIndex("inputs")))));
    return WindowScaling.toOriginal(
        Float32Codec.decode((byte[]) last.get(last.fieldIndex(WindowSchema.ANCHOR))),
        Float32Codec.decode((byte[]) last.get(last.fieldIndex(WindowSchema.SCALE))),
        reader.scaling().targetBounds(), 0, out[0]);
  }

  @Test
  void aNewJobIsServedItsPatternsPooledGbtFromAnotherDataset(@TempDir Path tmp)
      throws IOException {
    Manifest first = etl(alibaba(tmp.resolve("in-a"), m -> m.equals("m_1932") ? null : m),
        tmp.resolve("a"));
    assertEquals("window", first.normalisation());
    String registry = tmp.resolve("registry").toString();
    TrainSettings settings = TrainSettings.defaults(List.of(ModelKinds.parse("gbt_pattern")))
        .withExecution(1_000_000, 2, 1, "")
        .withGbt(new GbtSpec(40, 4, 0.1, 0.8, 0.8, 1.0, 1.0, 10, "reg:absoluteerror", "recursive",
            List.of(), 42))
        .withPooled(new PooledSettings(new PatternSettings(Optional.of(2), 6, 7), 3, 0.3));
    TrainResult trained = TrainJob.run(spark(), new TrainRequest(tmp.resolve("a").toString(),
        registry, List.of(), settings));
    assertEquals(List.of(), trained.failed());
    assertEquals(first.jobs().size(), trained.published().size());
    ModelRegistry reg = ModelRegistry.open(registry, new Configuration());
    // evaluation scores the pooled versions like any trained model of each job
    assertEquals(first.jobs(), CandidateFinder.find(reg, first, VersionRef.LATEST).byJob().entrySet()
        .stream().filter(e -> e.getValue().stream().anyMatch(c -> c.model().equals(
            "gbt_pattern"))).map(Map.Entry::getKey).sorted().toList());

    Manifest second = etl(alibaba(tmp.resolve("in-b"), m -> m.equals("m_1932") ? NEW_JOB : null),
        tmp.resolve("b"));
    assertEquals(List.of(NEW_JOB), second.jobs());
    assertFalse(second.fingerprint().equals(first.fingerprint()));
    PredictJob.Result r = PredictJob.run(spark(), new PredictRequest(tmp.resolve("b").toString(),
        registry, tmp.resolve("forecasts").toString(), "champion", null,
        PredictRequest.Windows.LATEST, List.of(), false, 256));
    assertEquals(List.of(), r.skippedJobs());
    assertTrue(r.borrowed().containsKey(NEW_JOB), r.toString());
    assertEquals(first.fingerprint(), r.borrowed().get(NEW_JOB).patternsOf());
    String member = r.versions().get(NEW_JOB).job();
    PatternModel patterns = PatternModel.fromJson(reg.patterns(first.fingerprint())
        .orElseThrow());
    int pattern = r.borrowed().get(NEW_JOB).pattern();
    assertEquals(pattern, patterns.patternOf("alibaba", member));
    ModelMetadata served = reg.metadata(member, "gbt_pattern", VersionRef.LATEST);
    assertEquals(pattern, served.lineage().pattern().pattern());

    List<Row> rows = spark().read().parquet(r.output()).collectAsList();
    assertEquals(second.series().size(), rows.size(), "one latest window per series");
    for (Row row : rows) {
      assertEquals(NEW_JOB, row.getString(row.fieldIndex("job_id")));
      assertEquals("gbt_pattern", row.getString(row.fieldIndex("model")));
      assertEquals(member, row.getString(row.fieldIndex("model_job")));
      double f = row.getDouble(row.fieldIndex("forecast"));
      assertTrue(Double.isFinite(f) && f >= 0, "forecast " + f);
      // the member's booster on the new job's last window, back in CPU units by the dataset's
      // anchor and scale of that window
      assertEquals(expectedForecast(tmp.resolve("b"), reg, member), f, 1e-4);
    }
  }
}
