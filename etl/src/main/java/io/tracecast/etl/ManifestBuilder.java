package io.tracecast.etl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.BacktestFold;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.etl.dataset.SeasonalLag;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.source.Metric;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.window.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Assembles {@code manifest.json} from the driver-side summaries of a run. */
final class ManifestBuilder {
  private final TraceFormat format;
  private final EtlSettings settings;
  private final WindowSpec spec;
  private final EtlRequest request;
  private final List<Manifest.InputFile> inputs;

  ManifestBuilder(TraceFormat format, EtlSettings settings, WindowSpec spec, EtlRequest request,
      List<Manifest.InputFile> inputs) {
    this.format = format;
    this.settings = settings;
    this.spec = spec;
    this.request = request;
    this.inputs = inputs;
  }

  /**
   * @param vmTable Azure vmtable rows by VM id (empty without one): their category and buckets
   *     become the series' attributes
   * @param graphs the panel graphs with their panel counts
   */
  Manifest build(List<FileSummary> files, List<SeriesSummary> series,
      Map<String, Map<String, Scaler>> scalers,
      Map<String, io.tracecast.etl.source.SourceContext.VmInfo> vmTable,
      List<Manifest.Graph> graphs) {
    long rowsRead = 0;
    long accepted = 0;
    long quarantined = 0;
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> notes = new TreeMap<>();
    List<Manifest.SkippedFile> skipped = new ArrayList<>();
    for (FileSummary f : files) {
      if (f.skipReason() != null) {
        skipped.add(new Manifest.SkippedFile(f.file(), f.skipReason().name(), f.skipDetail()));
        continue;
      }
      rowsRead += f.rowsRead();
      accepted += f.rowsAccepted();
      quarantined += f.rowsQuarantined();
      f.quarantinedByReason().forEach((k, v) -> byReason.merge(k, v, Long::sum));
      f.notes().forEach((k, v) -> notes.merge(k, v, Long::sum));
    }
    Map<String, Long> windows = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      windows.put(s.label(), 0L);
    }
    List<SeasonalLag> lags = spec.seasonalLags();
    Map<String, Map<String, Long>> withoutHistory = new LinkedHashMap<>();
    for (SeasonalLag lag : lags) {
      Map<String, Long> bySplit = new LinkedHashMap<>();
      for (Split split : Split.values()) {
        bySplit.put(split.label(), 0L);
      }
      withoutHistory.put(lag.label(), bySplit);
    }
    CleaningStats cleaning = CleaningStats.ZERO;
    long straddling = 0;
    long lacking = 0;
    List<Manifest.SeriesEntry> entries = new ArrayList<>();
    List<SeriesSummary> sorted = new ArrayList<>(series);
    sorted.sort((a, b) -> a.jobId().equals(b.jobId())
        ? a.seriesId().compareTo(b.seriesId()) : a.jobId().compareTo(b.jobId()));
    for (SeriesSummary s : sorted) {
      boolean scaled = scalers.containsKey(s.jobId());
      Map<String, Long> w = new LinkedHashMap<>();
      for (Split split : Split.values()) {
        long count = scaled ? s.windows()[split.ordinal()] : 0;
        w.put(split.label(), count);
        windows.merge(split.label(), count, Long::sum);
        for (int l = 0; l < lags.size(); l++) {
          long n = scaled ? s.withoutSeasonalHistory()[l][split.ordinal()] : 0;
          withoutHistory.get(lags.get(l).label()).merge(split.label(), n, Long::sum);
        }
      }
      cleaning = cleaning.plus(s.stats());
      straddling += s.straddling();
      lacking += s.lackingAMetric();
      entries.add(new Manifest.SeriesEntry(s.jobId(), s.seriesId(), s.points(), s.segments(),
          time(s.startMicros()), time(s.endMicros()), time(s.trainEndMicros()),
          time(s.validationEndMicros()), w, attributes(vmTable.get(s.seriesId())), s.scales()));
    }
    long jobs = sorted.stream().map(SeriesSummary::jobId).distinct().count();
    long jobsWithoutTrain = sorted.stream().map(SeriesSummary::jobId).distinct()
        .filter(j -> !scalers.containsKey(j)).count();
    Manifest.Counts counts = new Manifest.Counts(files.size() - skipped.size(), skipped.size(),
        rowsRead, accepted, quarantined, byReason, notes, sorted.size(), jobs, windows,
        straddling, lacking, jobsWithoutTrain, cleaning, totals(withoutHistory), withoutHistory);
    if (rowsRead != accepted + quarantined || cleaning.rowsIn() != accepted) {
      throw new IllegalStateException("row counts do not reconcile: read " + rowsRead
          + ", accepted " + accepted + ", quarantined " + quarantined + ", cleaned "
          + cleaning.rowsIn());
    }
    Map<String, String> units = new LinkedHashMap<>();
    for (int i = 0; i < format.metrics().size(); i++) {
      units.put(format.metrics().get(i).column(), format.units().get(i));
    }
    Map<String, Object> settingsMap = settingsMap(!vmTable.isEmpty());
    return new Manifest(Manifest.SCHEMA_VERSION, Instant.now().toString(), format.name(),
        fingerprint(settingsMap), settings.source(format.name()).timeOrigin().toString(), inputs,
        settings.step().toSeconds(), spec.lookback(), spec.horizon(), spec.stride(),
        spec.inputFeatures(), spec.targets(), io.tracecast.etl.dataset.Float32Codec.NAME, units,
        settings.trainFraction(), settings.validationFraction(),
        settings.scaler().name().toLowerCase(Locale.ROOT), scalers, entries, counts, skipped,
        settingsMap, lagSteps(lags), settings.normalisation().label(), null, graphs);
  }

  private static Map<String, Long> totals(Map<String, Map<String, Long>> bySplit) {
    Map<String, Long> out = new LinkedHashMap<>();
    bySplit.forEach((lag, m) -> out.put(lag, m.values().stream().mapToLong(Long::longValue).sum()));
    return out;
  }

  private static Map<String, Integer> lagSteps(List<SeasonalLag> lags) {
    Map<String, Integer> out = new LinkedHashMap<>();
    lags.forEach(l -> out.put(l.label(), l.steps()));
    return out;
  }

  private static Map<String, String> attributes(
      io.tracecast.etl.source.SourceContext.VmInfo vm) {
    if (vm == null) {
      return Map.of();
    }
    Map<String, String> a = new TreeMap<>();
    a.put("deploymentId", vm.deploymentId());
    a.put("category", vm.category());
    a.put("coreBucket", vm.coreBucket());
    a.put("memoryBucket", vm.memoryBucket());
    return a;
  }

  private static String time(long micros) {
    return micros == SeriesSummary.OPEN ? null
        : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1000).toString();
  }

  private Map<String, Object> settingsMap(boolean vmTable) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stepSeconds", settings.step().toSeconds());
    m.put("lookback", spec.lookback());
    m.put("horizon", spec.horizon());
    m.put("stride", spec.stride());
    m.put("maxGapSteps", settings.maxGapSteps());
    m.put("trainFraction", settings.trainFraction());
    m.put("validationFraction", settings.validationFraction());
    m.put("scaler", settings.scaler().name());
    m.put("maxUsageFraction", settings.maxUsageFraction());
    m.put("minTime", settings.minTime().toString());
    m.put("maxTime", settings.maxTime().toString());
    m.put("maxLineChars", settings.maxLineChars());
    m.put("skipBadFiles", settings.skipBadFiles());
    m.put("features", spec.features());
    m.put("targets", spec.targets());
    m.put("timeOrigin", settings.source(format.name()).timeOrigin().toString());
    m.put("metrics", Metric.columns(format.metrics()));
    m.put("seasonalLags", lagSteps(spec.seasonalLags()));
    m.put("normalisation", settings.normalisation().label());
    m.put("vmTable", vmTable ? request.vmTable().orElse("") : "");
    format.defaults().effectiveGrouping(settings.source(format.name()).grouping())
        .ifPresent(grouping -> m.put("grouping", grouping));
    m.put("panelMaxNodes", settings.panelMaxNodes());
    // only on a fold's dataset: the normal dataset's fingerprint stays what it was
    request.backtestFold().ifPresent(f -> m.put(BacktestFold.SETTING, f.label()));
    return m;
  }

  private String fingerprint(Map<String, Object> settingsMap) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ObjectMapper json = new ObjectMapper();
      sha.update(format.name().getBytes(StandardCharsets.UTF_8));
      sha.update(json.writeValueAsBytes(inputs));
      sha.update(json.writeValueAsBytes(settingsMap));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot fingerprint the dataset", e);
    }
  }
}
