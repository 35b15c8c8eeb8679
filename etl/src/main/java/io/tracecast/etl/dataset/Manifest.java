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
 * @param features input channels per lookback step, in tensor order: the configured features,
 *     then one channel per seasonal lag and target ({@link SeasonalLag#channel})
 * @param scalers job -> feature or target column -> scaler fitted on that job's train split; a
 *     seasonal lag channel has its target's scaler under its own name
 * @param seasonalLags lag label -> lag in steps, in channel order (empty: none, or an older
 *     dataset)
 * @param normalisation {@link Normalisation#label()} of the model-space tensors the reader
 *     returns; absent in older manifests, which means {@code job}
 * @param targetBounds target -> physical range of its values in original units, which
 *     {@link WindowScaling#toOriginal} clips forecasts to; derived from {@code Metric} for older
 *     manifests
 * @param graphs the panel graphs of every job, sorted by graph id ({@link Graph}); empty in
 *     manifests written before panels, whose datasets have no panels (re-run the ETL)
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
    Map<String, Object> settings,
    Map<String, Integer> seasonalLags,
    String normalisation,
    Map<String, Bounds> targetBounds,
    List<Graph> graphs) {

  /**
   * Unchanged by seasonal lags, scales, normalisation and graphs: they are additive fields, and the
   * stored windows mean the same in every version (job-scaled), so an older reader of a newer
   * dataset still reads it correctly as {@code job}, lag channels being plain inputs.
   */
  public static final int SCHEMA_VERSION = 1;

  public Manifest {
    inputs = List.copyOf(inputs);
    features = List.copyOf(features);
    targets = List.copyOf(targets);
    series = List.copyOf(series);
    skippedFiles = List.copyOf(skippedFiles);
    seasonalLags = seasonalLags == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(seasonalLags));
    normalisation = Normalisation.fromLabel(normalisation).label();
    if (targetBounds == null) {
      Map<String, Bounds> b = new java.util.LinkedHashMap<>();
      for (String t : targets) {
        b.put(t, Bounds.of(io.tracecast.etl.source.Metric.fromColumn(t)));
      }
      targetBounds = java.util.Collections.unmodifiableMap(b);
    }
    graphs = graphs == null ? List.of() : List.copyOf(graphs);
  }

  /** A manifest as written before panels: no graphs. */
  public Manifest(int schemaVersion, String createdAt, String source, String fingerprint,
      String timeOrigin, List<InputFile> inputs, long stepSeconds, int lookback, int horizon,
      int stride, List<String> features, List<String> targets, String tensorEncoding,
      Map<String, String> units, double trainFraction, double validationFraction,
      String scalerKind, Map<String, Map<String, Scaler>> scalers, List<SeriesEntry> series,
      Counts counts, List<SkippedFile> skippedFiles, Map<String, Object> settings,
      Map<String, Integer> seasonalLags, String normalisation, Map<String, Bounds> targetBounds) {
    this(schemaVersion, createdAt, source, fingerprint, timeOrigin, inputs, stepSeconds,
        lookback, horizon, stride, features, targets, tensorEncoding, units, trainFraction,
        validationFraction, scalerKind, scalers, series, counts, skippedFiles, settings,
        seasonalLags, normalisation, targetBounds, null);
  }

  /** A manifest as written before seasonal lags and normalisation modes: {@code job}. */
  public Manifest(int schemaVersion, String createdAt, String source, String fingerprint,
      String timeOrigin, List<InputFile> inputs, long stepSeconds, int lookback, int horizon,
      int stride, List<String> features, List<String> targets, String tensorEncoding,
      Map<String, String> units, double trainFraction, double validationFraction,
      String scalerKind, Map<String, Map<String, Scaler>> scalers, List<SeriesEntry> series,
      Counts counts, List<SkippedFile> skippedFiles, Map<String, Object> settings) {
    this(schemaVersion, createdAt, source, fingerprint, timeOrigin, inputs, stepSeconds,
        lookback, horizon, stride, features, targets, tensorEncoding, units, trainFraction,
        validationFraction, scalerKind, scalers, series, counts, skippedFiles, settings, null,
        null, null, null);
  }

  /** The mode of the tensors {@link DatasetReader#encodedWindows} returns. */
  public Normalisation normalisationMode() {
    return Normalisation.fromLabel(normalisation);
  }

  /** Seasonal lags in channel order. */
  public List<SeasonalLag> lags() {
    return seasonalLags.entrySet().stream()
        .map(e -> new SeasonalLag(e.getKey(), e.getValue())).toList();
  }

  /** The backtest fold this dataset holds ({@link BacktestFold}); empty for a normal one. */
  public java.util.Optional<BacktestFold> backtestFold() {
    return BacktestFold.of(settings);
  }

  /** Scalers of one job, by column. */
  public Map<String, Scaler> scalersOf(String jobId) {
    Map<String, Scaler> s = scalers.get(jobId);
    if (s == null) {
      throw new IllegalArgumentException("job '" + jobId + "' has no scalers in this dataset");
    }
    return s;
  }

  /** The graphs of one job in graph id order; empty for a dataset written before panels. */
  public List<Graph> graphsOf(String jobId) {
    return graphs.stream().filter(g -> g.jobId().equals(jobId)).toList();
  }

  public List<String> jobs() {
    return series.stream().map(SeriesEntry::jobId).distinct().sorted().toList();
  }

  public record InputFile(String path, long sizeBytes, long modifiedMillis) {}

  /**
   * One panel graph: a job, or a sub-graph of a job with more series than
   * {@code tracecast.etl.panels.max-nodes} (series clustered on the correlation of their first
   * target over the train split). Its nodes are series of the job, sorted by id: node i of a
   * panel tensor is {@code nodes.get(i)}. Every series of a job is a node of exactly one graph.
   *
   * @param graphId the job id when the job is one graph, else {@code <job>#<k>}, k from 0
   * @param panels split label -> panels (distinct window end times of the graph's nodes)
   * @param panelsAllMasked panels of this graph whose every node is masked; 0 for panels derived
   *     from windows (a panel exists only where some node has a window), kept so a reader need
   *     not assume it
   */
  public record Graph(String jobId, String graphId, List<String> nodes, Map<String, Long> panels,
      long panelsAllMasked) {
    /** Separates a job id from a sub-graph's index in {@link #graphId}. */
    public static final String SUBGRAPH_SEPARATOR = "#";

    public Graph {
      java.util.Objects.requireNonNull(jobId, "jobId");
      java.util.Objects.requireNonNull(graphId, "graphId");
      nodes = List.copyOf(nodes);
      panels = panels == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(panels));
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("graph " + graphId + " has no nodes");
      }
      if (!nodes.equals(nodes.stream().sorted().distinct().toList())) {
        throw new IllegalArgumentException("graph " + graphId
            + ": nodes must be distinct and sorted by series id, got " + nodes);
      }
    }

    /** The id of sub-graph {@code k} of a job split into several. */
    public static String subgraphId(String jobId, int k) {
      return jobId + SUBGRAPH_SEPARATOR + k;
    }

    public int nodeCount() {
      return nodes.size();
    }

    /** This graph with its panel counts per split label. */
    public Graph withPanels(Map<String, Long> panelsBySplit, long allMasked) {
      return new Graph(jobId, graphId, nodes, panelsBySplit, allMasked);
    }
  }

  public record SkippedFile(String path, String reason, String detail) {}

  /**
   * @param windows windows per split label
   * @param attributes side-table attributes, e.g. Azure's VM category
   */
  /**
   * @param scales metric column -> the series' typical absolute step on its train split, in the
   *     metric's units ({@code feature/SeriesScales}); empty in older manifests
   */
  public record SeriesEntry(String jobId, String seriesId, long points, long segments,
      String start, String end, String trainEnd, String validationEnd, Map<String, Long> windows,
      Map<String, String> attributes, Map<String, Double> scales) {

    public SeriesEntry {
      scales = scales == null ? Map.of() : scales;
    }

    /** An entry as written before per-series scales. */
    public SeriesEntry(String jobId, String seriesId, long points, long segments, String start,
        String end, String trainEnd, String validationEnd, Map<String, Long> windows,
        Map<String, String> attributes) {
      this(jobId, seriesId, points, segments, start, end, trainEnd, validationEnd, windows,
          attributes, Map.of());
    }
  }

  /**
   * Physical range of a target in original units; null = unbounded on that side.
   */
  public record Bounds(Double min, Double max) implements java.io.Serializable {
    public static Bounds of(io.tracecast.etl.source.Metric m) {
      return new Bounds(m.physicalMin(), null);
    }

    /** {@code value} clipped into the range. */
    public double clip(double value) {
      double v = min == null ? value : Math.max(min, value);
      return max == null ? v : Math.min(max, v);
    }
  }

  /**
   * {@code windowsWithoutSeasonalHistory}: lag label -> windows in which some lookback step of
   * that lag's channels had no value one season back (before the series, in a long gap) and was
   * filled with the target's last observed value; also by lag and split label. Such windows are
   * written like any other, so every model and baseline is scored on the same points.
   *
   * <p>Reconciliation of every row: {@code rowsRead == rowsAccepted + rowsQuarantined}, and
   * cleaning accounts for every accepted row ({@link CleaningStats#rowsIn()} == rowsAccepted).
   */
  public record Counts(
      long filesRead, long filesSkipped, long rowsRead, long rowsAccepted, long rowsQuarantined,
      Map<String, Long> quarantinedByReason, Map<String, Long> notes, long series, long jobs,
      Map<String, Long> windows, long windowsStraddlingSplits, long windowsLackingAMetric,
      long jobsWithoutTrainData, CleaningStats cleaning,
      Map<String, Long> windowsWithoutSeasonalHistory,
      Map<String, Map<String, Long>> windowsWithoutSeasonalHistoryBySplit) {

    public Counts {
      windowsWithoutSeasonalHistory = windowsWithoutSeasonalHistory == null ? Map.of()
          : windowsWithoutSeasonalHistory;
      windowsWithoutSeasonalHistoryBySplit = windowsWithoutSeasonalHistoryBySplit == null
          ? Map.of() : windowsWithoutSeasonalHistoryBySplit;
    }

    /** Counts as written before seasonal lags. */
    public Counts(long filesRead, long filesSkipped, long rowsRead, long rowsAccepted,
        long rowsQuarantined, Map<String, Long> quarantinedByReason, Map<String, Long> notes,
        long series, long jobs, Map<String, Long> windows, long windowsStraddlingSplits,
        long windowsLackingAMetric, long jobsWithoutTrainData, CleaningStats cleaning) {
      this(filesRead, filesSkipped, rowsRead, rowsAccepted, rowsQuarantined, quarantinedByReason,
          notes, series, jobs, windows, windowsStraddlingSplits, windowsLackingAMetric,
          jobsWithoutTrainData, cleaning, Map.of(), Map.of());
    }
  }
}
