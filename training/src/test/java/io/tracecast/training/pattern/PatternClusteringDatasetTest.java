package io.tracecast.training.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.TrainingFixtures;
import io.tracecast.training.config.PatternSettings;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The bundled Alibaba sample (10 machines) through the real ETL and its DatasetReader. */
class PatternClusteringDatasetTest {

  @Test
  void clustersEverySeriesOfARealDatasetReadThroughItsReader() {
    SparkSession spark = TrainingFixtures.spark();
    DatasetReader reader = DatasetReader.open(spark, TrainingFixtures.alibabaDataset());
    Manifest manifest = reader.manifest();
    String target = manifest.targets().get(0);
    List<Row> trainSeries = reader.series(spark)
        .where("split = 'train' and " + target + " is not null")
        .select("job_id", "series_id").distinct().collectAsList();
    Set<SeriesKey> expected = trainSeries.stream()
        .map(r -> new SeriesKey(manifest.source(), r.getString(0), r.getString(1)))
        .collect(Collectors.toSet());

    PatternModel model = PatternClustering.fit(spark, List.of(reader),
        PatternSettings.defaults());

    Set<SeriesKey> members = new HashSet<>();
    model.patterns().forEach(p -> members.addAll(p.members()));
    assertEquals(expected, members, "every series with train points, each in one pattern");
    assertEquals(expected.stream().map(SeriesKey::jobId).collect(Collectors.toSet()),
        model.jobs().stream().map(PatternModel.JobPattern::jobId).collect(Collectors.toSet()));
    int kMax = Math.min(6, expected.size() - 1);
    assertEquals(kMax - 1, model.silhouetteByK().size(), model.silhouetteByK().toString());
    assertEquals(Collections.max(model.silhouetteByK().values()),
        model.silhouetteByK().get(model.k()));
    assertTrue(model.patterns().stream().allMatch(p -> !p.members().isEmpty()));
  }

  @Test
  void aSparkSignatureEqualsTheDriverSignatureOfTheSameTrainPoints() {
    SparkSession spark = TrainingFixtures.spark();
    DatasetReader reader = DatasetReader.open(spark, TrainingFixtures.alibabaDataset());
    Manifest manifest = reader.manifest();
    Manifest.SeriesEntry series = manifest.series().get(0);
    String target = manifest.targets().get(0);
    List<Row> points = reader.series(spark)
        .where("split = 'train' and " + target + " is not null")
        .where(String.format("job_id = '%s' and series_id = '%s'", series.jobId(),
            series.seriesId()))
        .orderBy("ts").select("ts", target).collectAsList();
    double[] values = points.stream().mapToDouble(r -> r.getDouble(1)).toArray();
    long[] times = points.stream().mapToLong(r -> r.getTimestamp(0).getTime()).toArray();
    SeriesKey key = new SeriesKey(manifest.source(), series.jobId(), series.seriesId());

    SignatureRow row = SignatureTable.of(SeriesSource.of(spark, reader)).collectAsList()
        .stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();

    assertEquals(PatternSignature.ofValues(values, times, manifest.stepSeconds()),
        row.signature());
  }
}
