package io.tracecast.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.provisioning.ProvisioningSettings;
import io.tracecast.evaluation.scoring.Candidate;
import io.tracecast.evaluation.scoring.CandidateFinder;
import io.tracecast.evaluation.scoring.ForecastRow;
import io.tracecast.evaluation.scoring.ForecastTable;
import io.tracecast.training.kind.InputForm;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.VersionRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset and a registry written by tracecast as it was before issue 22 rebuilt the training
 * module (b90b1eb; {@code src/test/resources/legacy}, made by its {@code generate.sh}): every
 * kind and family (the eight network kinds, the three tree kinds, a pattern network and its
 * fine-tuned job model, a tune winner, a baseline and an ensemble version, the evaluated
 * champion alias) still loads, reads its lineage from the {@code params} it kept it in, and
 * forecasts exactly what that code forecast (its {@code predict} output, committed beside it).
 */
class LegacyRegistryTest {
  private static final String JOB = "2013-7";
  /** The job with no model of its own. */
  private static final String NEW_JOB = "2013-8";
  @TempDir
  static Path tmp;
  private static Path legacy;
  private static ModelRegistry registry;
  private static DatasetReader reader;

  @BeforeAll
  static void copyTheFixture() throws IOException {
    Path resources = EvaluationFixture.root().resolve("evaluation/src/test/resources/legacy");
    for (String dir : List.of("dataset", "registry")) {
      copy(resources.resolve(dir), tmp.resolve(dir));
    }
    legacy = resources;
    registry = ModelRegistry.open(tmp.resolve("registry").toString(), new Configuration());
    reader = DatasetReader.open(spark(), tmp.resolve("dataset").toString());
  }

  private static SparkSession spark() {
    return EvaluationFixture.spark();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(p -> {
        try {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static ModelMetadata metadata(String model) {
    return registry.metadata(JOB, model, VersionRef.version(1));
  }

  @Test
  void everyVersionReadsWithItsArchitectureAndTypedLineage() {
    List<String> trained = List.of("lstm", "stacked_lstm", "bilstm_attention", "cnn_lstm",
        "gru", "cnn", "mlp", "graph_gru", "gbt", "gbt_global", "gbt_pattern", "mlp_pattern",
        "mlp_tuned", "mlp_hpo");
    for (String model : trained) {
      ModelMetadata m = metadata(model);
      assertTrue(m.family().trained(), model);
      assertTrue(m.fits(reader.manifest()), model + ": " + m.misfit(reader.manifest()));
      if (m.family() == ModelFamily.NETWORK) {
        assertEquals(Map.of(), m.params(), model + ": a network's lineage left params");
      }
    }
    assertEquals(ModelKinds.MLP, metadata("mlp_hpo").architecture());
    assertEquals(ModelKinds.GBT, metadata("gbt_global").architecture());
    assertEquals(InputForm.PANEL, metadata("graph_gru").architecture().input());
    Lineage.Graph graph = metadata("graph_gru").lineage().graph();
    assertEquals(3, graph.nodes());
    assertEquals(List.of("1", "2", "3"), graph.graphs().get(JOB));
    for (String pooled : List.of("gbt_pattern", "mlp_pattern", "mlp_tuned")) {
      Lineage.Pattern p = metadata(pooled).lineage().pattern();
      assertNotNull(p, pooled);
      assertEquals(reader.manifest().fingerprint(), p.patternsOf(), pooled);
      assertEquals(List.of(JOB), p.members(), pooled);
    }
    assertEquals(List.of(JOB), metadata("gbt_global").lineage().pooledOver());
    assertEquals(List.of(JOB), metadata("gbt_pattern").lineage().pooledOver());
    // the trees keep their own parameters, bestRounds among them; specs written before
    // tracecast.train.gbt.quantiles existed have none: point trees
    assertTrue(metadata("gbt").params().containsKey("bestRounds"));
    for (String tree : List.of("gbt", "gbt_global", "gbt_pattern")) {
      assertEquals(List.of(), metadata(tree).quantiles(), tree);
    }
    assertEquals(List.of(0.1, 0.5, 0.9), metadata("bilstm_attention").quantiles());
    assertNull(metadata("gbt").lineage().pattern());
    Lineage.FineTuned tuned = metadata("mlp_tuned").lineage().fineTuned();
    assertEquals(new Lineage.Start(JOB, "mlp_pattern", 1), tuned.startedFrom());
    assertTrue(List.of("pattern", "tuned").contains(tuned.kept()));
    Lineage.Search search = metadata("mlp_hpo").lineage().search();
    assertEquals(2, search.trials().size());
    assertEquals("tpe", search.search());
    // baselines and ensembles keep their params: evaluation builds them from those
    assertEquals(ModelFamily.ENSEMBLE, metadata("ensemble").family());
    assertTrue(metadata("ensemble").params().containsKey("members"));
    assertEquals(Lineage.NONE, metadata("arima").lineage());
  }

  @Test
  void everyTrainedVersionForecastsWhatItForecastBefore() {
    CandidateFinder.Found found = CandidateFinder.find(registry, reader.manifest(),
        VersionRef.LATEST);
    List<Candidate> candidates = found.byJob().get(JOB);
    assertEquals(14, candidates.size(), found.notes().toString());
    List<ForecastRow> rows = ForecastTable.trained(spark(), reader,
        ForecastTable.windows(spark(), reader, List.of(JOB), List.of(Split.TEST)),
        registry.root(), Map.of(JOB, candidates), 1024, 1, ProvisioningSettings.defaults())
        .collectAsList();
    Map<String, ForecastRow> byKey = new HashMap<>();
    rows.forEach(r -> byKey.put(key(r.getModel(), r.getSeriesId(),
        r.getTargetTime().getTime(), r.getStep()), r));
    for (Candidate c : candidates) {
      List<Row> expected = expected(c.model() + "-v" + c.version());
      assertTrue(expected.size() > 0, c.model());
      for (Row e : expected) {
        ForecastRow got = byKey.get(key(c.model(), e.getString(e.fieldIndex("series_id")),
            e.getTimestamp(e.fieldIndex("target_time")).getTime(),
            e.getInt(e.fieldIndex("step"))));
        assertNotNull(got, c.model() + ": no forecast for " + e);
        assertEquals(e.getDouble(e.fieldIndex("forecast")), got.getPoint(), 1e-9,
            c.model() + " " + e);
        assertEquals(e.getDouble(e.fieldIndex("actual")), got.getActual(), 1e-9, c.model());
        if (!e.isNullAt(e.fieldIndex("quantiles"))) {
          List<Double> q = e.getList(e.fieldIndex("quantiles"));
          for (int i = 0; i < q.size(); i++) {
            assertEquals(q.get(i), got.getQuantiles()[i], 1e-9, c.model() + " quantile " + i);
          }
        }
      }
      assertEquals(expected.size(), rows.stream().filter(r -> r.getModel().equals(c.model()))
          .count(), c.model());
    }
  }

  @Test
  void predictServesTheBaselineTheEnsembleAndTheChampionAsBefore() {
    for (String model : List.of("arima", "ensemble", "persistence")) {
      assertSameForecasts(model + "-v1", predict(model, "v1", "m-" + model));
    }
    // the champion alias; 2013-8 has no model, and the stored patterns assign it the pattern
    // no trained job belongs to, so it is skipped, as b90b1eb skipped it
    PredictJob.Result r = predict(null, "champion", "champion");
    assertEquals(List.of(NEW_JOB), r.skippedJobs(), r.toString());
    assertSameForecasts("champion", r);
  }

  private static PredictJob.Result predict(String model, String ref, String out) {
    return PredictJob.run(spark(), new PredictRequest(tmp.resolve("dataset").toString(),
        registry.root(), tmp.resolve("out-" + out).toString(), ref, model,
        PredictRequest.Windows.parse("test"), List.of(), false, 1024));
  }

  private static void assertSameForecasts(String expectedDir, PredictJob.Result r) {
    List<Row> expected = expected(expectedDir);
    List<Row> got = spark().read().parquet(r.output()).collectAsList();
    assertEquals(expected.size(), got.size(), expectedDir);
    Map<String, Row> byKey = new HashMap<>();
    got.forEach(g -> byKey.put(key(g), g));
    for (Row e : expected) {
      Row g = byKey.get(key(e));
      assertNotNull(g, expectedDir + ": no forecast for " + e);
      for (String column : List.of("model", "version", "model_job")) {
        assertEquals(e.get(e.fieldIndex(column)), g.get(g.fieldIndex(column)), expectedDir);
      }
      assertEquals(e.getDouble(e.fieldIndex("forecast")), g.getDouble(g.fieldIndex("forecast")),
          1e-9, expectedDir + " " + e);
    }
  }

  private static List<Row> expected(String dir) {
    return spark().read().parquet(legacy.resolve("expected").resolve(dir).toString())
        .collectAsList();
  }

  private static String key(Row r) {
    return r.getString(r.fieldIndex("job_id")) + "/" + key(r.getString(r.fieldIndex("model")),
        r.getString(r.fieldIndex("series_id")),
        r.getTimestamp(r.fieldIndex("target_time")).getTime(), r.getInt(r.fieldIndex("step")));
  }

  private static String key(String model, String series, long targetMillis, int step) {
    return model + "/" + series + "/" + targetMillis + "/" + step;
  }

  /** The dataset itself still reads: manifest and counts as written. */
  @Test
  void theDatasetStillReads() {
    Manifest m = reader.manifest();
    assertEquals(List.of(JOB, NEW_JOB), m.jobs());
    assertEquals(6, m.lookback());
    assertEquals(240, reader.encodedWindows(spark(), Split.TEST).count());
  }
}
