package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.interval.SplitConformal;
import io.tracecast.training.registry.ModelFamily;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;

/**
 * Conformal offsets per (job, model, version, horizon step, target): the split-conformal band
 * calibrated on a key's validation residuals ({@link #calibrate}, {@link SplitConformal}), and
 * the form the registry stores and predict serves ({@link #toJson}), whichever calibration
 * produced them ({@link CalibratedForecasts}; a rolling band per forecast is {@link
 * RollingBands}'). The same rule widens a tree's, a baseline's, the ensemble's or a point
 * network's forecast, so every candidate, and so every champion, has intervals at the configured
 * levels. Per step because the error grows with the horizon; per job because jobs differ in
 * noise; pooled over a job's series, which gives each band hundreds of residuals. A key with too few residuals for a level (fewer than
 * {@link SplitConformal#minResiduals}) gets no band, and its forecasts no interval: the tables
 * then count fewer interval points than forecasts.
 *
 * <p>Bounds are clipped to the target's physical range ({@link #clippedTo}, the manifest's
 * {@code targetBounds}) as point forecasts are: usage is never negative, so a lower bound
 * below 0 says nothing, and clipping changes no coverage (every actual lies in the range) while
 * it narrows the band.
 *
 * <p>Serializable and small (a few offsets per key): it travels in the scoring closures.
 */
public final class ConformalBands implements Serializable {
  private final double[] levels;
  /** {@code [lo, hi]} offsets per level, by {@link #key}. */
  private final Map<String, double[]> offsets;
  /** Physical range per target that bounds are clipped to; absent targets are not clipped. */
  private final Map<String, Manifest.Bounds> support;

  private ConformalBands(double[] levels, Map<String, double[]> offsets,
      Map<String, Manifest.Bounds> support) {
    this.levels = levels.clone();
    this.offsets = Map.copyOf(offsets);
    this.support = Map.copyOf(support);
  }

  private ConformalBands(double[] levels, Map<String, double[]> offsets) {
    this(levels, offsets, Map.of());
  }

  /** No bands: forecasts are scored without intervals. */
  public static ConformalBands none() {
    return new ConformalBands(new double[0], Map.of());
  }

  /** These bands with their bounds clipped to each target's physical range. */
  public ConformalBands clippedTo(Map<String, Manifest.Bounds> targetBounds) {
    return new ConformalBands(levels, offsets, targetBounds);
  }

  /** The range a target's bounds are clipped to, or null (unclipped). */
  public Manifest.Bounds support(String target) {
    return support.get(target);
  }

  /**
   * Bands of every (job, model, version, step, target) that has validation forecasts.
   *
   * @param levels nominal coverages, ascending, e.g. [0.8, 0.9]
   */
  public static ConformalBands calibrate(Dataset<ForecastRow> forecasts, double[] levels) {
    double[] lv = levels.clone();
    if (lv.length == 0) {
      return none();
    }
    MapGroupsFunction<String, ForecastRow, Band> band = (key, rows) -> {
      List<Double> residuals = new ArrayList<>();
      rows.forEachRemaining(r -> residuals.add(r.getActual() - r.getPoint()));
      double[] r = residuals.stream().mapToDouble(Double::doubleValue).toArray();
      return new Band(key, perLevel(lv, level -> SplitConformal.offsets(r, level)));
    };
    String validation = Split.VALIDATION.label();
    Map<String, double[]> offsets = new HashMap<>();
    forecasts.filter((FilterFunction<ForecastRow>) r -> validation.equals(r.getSplit())
            && !ScoreBook.POLICY.equals(r.getFamily()))
        .groupByKey((MapFunction<ForecastRow, String>) ConformalBands::key, Encoders.STRING())
        .mapGroups(band, Encoders.javaSerialization(Band.class))
        .collectAsList()
        .forEach(b -> {
          if (b.offsets() != null) {
            offsets.put(b.key(), b.offsets());
          }
        });
    return new ConformalBands(lv, offsets);
  }

  /**
   * The offsets of every level laid out as stored ({@code [lo, hi]} per level, in level order),
   * or null when any level has none: a key is banded at every level or at none.
   */
  static double[] perLevel(double[] levels, java.util.function.DoubleFunction<double[]> at) {
    double[] out = new double[2 * levels.length];
    for (int l = 0; l < levels.length; l++) {
      double[] o = at.apply(levels[l]);
      if (o == null) {
        return null;
      }
      out[2 * l] = o[0];
      out[2 * l + 1] = o[1];
    }
    return out;
  }

  /**
   * {@code forecasts} with each row's {@link ForecastRow#getIntervals} set to {@link #bounds}:
   * every forecast of a key widened by the same offsets (split calibration).
   */
  public Dataset<ForecastRow> attach(Dataset<ForecastRow> forecasts) {
    ConformalBands bands = this;
    return forecasts.map((MapFunction<ForecastRow, ForecastRow>) r ->
        r.withIntervals(bands.bounds(r)), ForecastTable.ENCODER);
  }

  /** These levels and clipping ranges over other offsets (by {@link #key}). */
  ConformalBands withOffsets(Map<String, double[]> other) {
    return new ConformalBands(levels, other, support);
  }

  /** The offsets of one {@link #key}, or null (not copied: callers only read them). */
  double[] offsets(String key) {
    return offsets.get(key);
  }

  /** One key's offsets (a Spark row type, hence public). */
  public record Band(String key, double[] offsets) implements Serializable {}

  /** These bands and {@code other}'s (e.g. the ensemble's, calibrated afterwards). */
  public ConformalBands plus(ConformalBands other) {
    if (levels.length > 0 && other.levels.length > 0
        && !java.util.Arrays.equals(levels, other.levels)) {
      throw new IllegalArgumentException("bands over different levels");
    }
    Map<String, double[]> all = new HashMap<>(offsets);
    all.putAll(other.offsets);
    Map<String, Manifest.Bounds> range = new HashMap<>(other.support);
    range.putAll(support);
    return new ConformalBands(levels.length > 0 ? levels : other.levels, all, range);
  }

  public double[] levels() {
    return levels.clone();
  }

  /** Calibrated keys (for the report's notes). */
  public int size() {
    return offsets.size();
  }

  /**
   * The interval bounds of one forecast, {@code [lo, hi]} per level in level order, or null
   * when its (job, model, version, step, target) has no band. Nested bands stay nested: a
   * wider level never gets a narrower interval, since its ranks lie further out.
   */
  public double[] bounds(ForecastRow r) {
    double[] o = offsets.get(key(r));
    return o == null ? null : around(r, o);
  }

  /**
   * {@code r}'s point forecast plus {@code o} ({@code [lo, hi]} per level), clipped to the
   * target's range: the one rule that turns offsets into bounds, for a key's fixed band and a
   * rolling one alike.
   */
  double[] around(ForecastRow r, double[] o) {
    Manifest.Bounds range = support.get(r.getTarget());
    double[] out = new double[o.length];
    for (int i = 0; i < o.length; i++) {
      out[i] = range == null ? r.getPoint() + o[i] : range.clip(r.getPoint() + o[i]);
    }
    return out;
  }

  /**
   * The bands of one (job, model, version) only, every step and target: what travels with that
   * version (the MLflow export's artifact). Empty when it has none.
   */
  public ConformalBands only(String job, String model, int version) {
    String prefix = String.join("\u0000", job, model, Integer.toString(version)) + "\u0000";
    Map<String, double[]> kept = new HashMap<>();
    offsets.forEach((key, o) -> {
      if (key.startsWith(prefix)) {
        kept.put(key, o);
      }
    });
    return new ConformalBands(levels, kept);
  }

  /**
   * The version evaluation calibrated a registry version under: its own for a trained model; 0
   * for a baseline or ensemble, which were scored (and calibrated) before they were published.
   */
  public static int calibratedVersion(ModelFamily family, int registryVersion) {
    return family.trained() ? registryVersion : 0;
  }

  /** The offsets of one key, or null: what a served version carries with it. */
  public double[] offsets(String job, String model, int version, int step, String target) {
    double[] o = offsets.get(key(job, model, version, step, target));
    return o == null ? null : o.clone();
  }

  /**
   * The registry's copy ({@code _intervals/<fingerprint>/intervals.json}): the levels and one
   * entry per calibrated key, sorted, so the same bands always give the same bytes.
   */
  public String toJson() {
    List<Stored> bands = new ArrayList<>();
    offsets.forEach((key, o) -> {
      String[] k = key.split("\u0000", -1);
      bands.add(new Stored(k[0], k[1], Integer.parseInt(k[2]), Integer.parseInt(k[3]), k[4],
          o.clone()));
    });
    bands.sort(java.util.Comparator.comparing(Stored::job).thenComparing(Stored::model)
        .thenComparingInt(Stored::version).thenComparing(Stored::target)
        .thenComparingInt(Stored::step));
    try {
      return EnsembleSpec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          new Document(levels.clone(), bands));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write interval calibration: " + e, e);
    }
  }

  /** Bands read back from {@link #toJson}. */
  public static ConformalBands fromJson(String json) {
    try {
      Document d = EnsembleSpec.JSON.readValue(json, Document.class);
      Map<String, double[]> offsets = new HashMap<>();
      for (Stored b : d.bands()) {
        if (b.offsets().length != 2 * d.levels().length) {
          throw new IllegalArgumentException(b.offsets().length + " offsets for levels "
              + java.util.Arrays.toString(d.levels()));
        }
        offsets.put(key(b.job(), b.model(), b.version(), b.step(), b.target()), b.offsets());
      }
      return new ConformalBands(d.levels(), offsets);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("unreadable interval calibration: " + e.getMessage(), e);
    }
  }

  /** The stored form: levels, then {@code [lo, hi]} offsets per level of each key. */
  public record Document(double[] levels, List<Stored> bands) {}

  /** One calibrated key: offsets in original units, {@code [lo, hi]} per level. */
  public record Stored(String job, String model, int version, int step, String target,
      double[] offsets) {}

  static String key(ForecastRow r) {
    return key(r.getJobId(), r.getModel(), r.getVersion(), r.getStep(), r.getTarget());
  }

  private static String key(String job, String model, int version, int step, String target) {
    return String.join("\u0000", job, model, Integer.toString(version), Integer.toString(step),
        target);
  }
}
