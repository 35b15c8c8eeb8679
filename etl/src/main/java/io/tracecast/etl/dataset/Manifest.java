package io.tracecast.etl.dataset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tracecast.etl.clean.CleaningStats;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: everything training and evaluation need to know about a dataset
 * without opening its Parquet files. Times are ISO-8601 UTC; split ends are exclusive (the first
 * timestamp of the next split, null when the split reaches the series' end).
 *
 * @param fingerprint SHA-256 over the inputs (path, size, modification time) and the ETL
 *     settings that shaped the data: equal fingerprints mean equal datasets
 * @param tensorEncoding how window inputs and targets are stored ({@link Float32Codec#NAME})
 * @param scalers job -> feature or target column -> scaler fitted on that job's train split
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    int schemaVersion,
    String createdAt,
    String source,
    String fingerprint,
    String timeOrigin,
    List<InputFile> inputs,
    long stepSeconds,
    int lookback,
    int horizon,
    int stride,
    List<String> features,
    List<String> targets,
    String tensorEncoding,
    Map<String, String> units,
    double trainFraction,
    double validationFraction,
    String scalerKind,
    Map<String, Map<String, Scaler>> scalers,
    List<SeriesEntry> series,
    Counts counts,
    List<SkippedFile> skippedFiles,
    Map<String, Object> settings) {

  public static final int SCHEMA_VERSION = 1;

  public Manifest {
    inputs = List.copyOf(inputs);
    features = List.copyOf(features);
    targets = List.copyOf(targets);
    series = List.copyOf(series);
    skippedFiles = List.copyOf(skippedFiles);
  }

  /** Scalers of one job, by column. */
  public Map<String, Scaler> scalersOf(String jobId) {
    Map<String, Scaler> s = scalers.get(jobId);
    if (s == null) {
      throw new IllegalArgumentException("job '" + jobId + "' has no scalers in this dataset");
    }
    return s;
  }

  public List<String> jobs() {
    return series.stream().map(SeriesEntry::jobId).distinct().sorted().toList();
  }

  public record InputFile(String path, long sizeBytes, long modifiedMillis) {}

  public record SkippedFile(String path, String reason, String detail) {}

  /**
   * @param windows windows per split label
   * @param attributes side-table attributes, e.g. Azure's VM category
   */
  public record SeriesEntry(String jobId, String seriesId, long points, long segments,
      String start, String end, String trainEnd, String validationEnd, Map<String, Long> windows,
      Map<String, String> attributes) {}

  /**
   * Reconciliation of every row: {@code rowsRead == rowsAccepted + rowsQuarantined}, and
   * cleaning accounts for every accepted row ({@link CleaningStats#rowsIn()} == rowsAccepted).
   */
  public record Counts(
      long filesRead, long filesSkipped, long rowsRead, long rowsAccepted, long rowsQuarantined,
      Map<String, Long> quarantinedByReason, Map<String, Long> notes, long series, long jobs,
      Map<String, Long> windows, long windowsStraddlingSplits, long windowsLackingAMetric,
      long jobsWithoutTrainData, CleaningStats cleaning) {}
}
