package io.tracecast.evaluation.autoscaling;

import static org.apache.spark.sql.functions.col;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.PredictJob;
import io.tracecast.evaluation.interval.QuantileNames;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The environment's input: each series of a split as {@link DemandTrace}s, with the usage the
 * dataset recorded and what the observed forecaster (predict's forecasts, with the 80 % band
 * that evaluate calibrated and stored) said at each step about the steps up to the start-up
 * delay. The first target only (the one provisioning is about, as in evaluate's report).
 *
 * <p>A trace is a run of consecutive steps where both the usage and every forecast up to the
 * delay are known; a series with a gap gives several. Runs shorter than {@code minLength} and
 * series whose usage is all zero (nothing to provision) give none; {@link Built#dropped} counts
 * their steps, so that what was left out is reported, never lost silently.
 */
public final class ObservedTraces {
  /** The band whose bounds the agents observe (and the upper-quantile provisioner buys). */
  public static final double LEVEL = 0.8;

  private ObservedTraces() {}

  /** The traces, and the steps of runs too short (or all-zero) to use. */
  public record Built(List<DemandTrace> traces, long dropped) {}

  /**
   * Each job's forecaster: the version {@code ref} names, an alias of the job
   * ({@code champion}) or a model's latest version; jobs with neither are absent.
   */
  public static Map<String, ModelVersion> forecasters(ModelRegistry registry, List<String> jobs,
      String ref) {
    Map<String, ModelVersion> out = new TreeMap<>();
    for (String job : jobs) {
      ModelVersion v = registry.aliases(job).get(ref);
      if (v == null && !registry.versions(job, ref).isEmpty()) {
        v = registry.resolve(job, ref, VersionRef.parse("latest"));
      }
      if (v != null) {
        out.put(job, v);
      }
    }
    return out;
  }

  public static Built of(SparkSession spark, DatasetReader reader, ModelRegistry registry,
      Map<String, ModelVersion> forecasters, Split split, int delay, int minLength,
      int batchSize) {
    Manifest m = reader.manifest();
    if (delay < 1 || delay > m.horizon()) {
      throw new IllegalArgumentException("start-up delay of " + delay + " steps: the dataset "
          + "forecasts 1.." + m.horizon() + " steps ahead");
    }
    PredictJob.Scored scored = PredictJob.score(spark, reader, registry, forecasters, split,
        batchSize);
    List<Row> rows;
    try {
      Dataset<Row> f = scored.forecasts();
      String lo = QuantileNames.lower(LEVEL);
      String hi = QuantileNames.upper(LEVEL);
      List<String> have = Arrays.asList(f.columns());
      if (!have.contains(lo) || !have.contains(hi)) {
        throw new IllegalStateException("no " + Math.round(LEVEL * 100) + " % interval is "
            + "stored for dataset " + reader.root() + " in registry " + registry.root()
            + ": run evaluate on it first (it calibrates the bands the agents observe)");
      }
      rows = f.where(col("step").leq(delay).and(col("target").equalTo(m.targets().get(0))))
          .selectExpr("job_id", "series_id", "cast(unix_millis(origin_time) as long) as origin",
              "step", "forecast", "coalesce(" + lo + ", forecast) as lo",
              "coalesce(" + hi + ", forecast) as hi", "actual")
          .orderBy("job_id", "series_id", "origin", "step").collectAsList();
    } finally {
      scored.served().release();
    }
    return build(rows, split, m.stepSeconds(), delay, minLength);
  }

  /**
   * Rows (job, series, origin millis, step, forecast, lo, hi, actual), ordered by job, series,
   * origin and step, as traces.
   */
  static Built build(List<Row> rows, Split split, long stepSeconds, int delay, int minLength) {
    List<DemandTrace> out = new ArrayList<>();
    long dropped = 0;
    int i = 0;
    while (i < rows.size()) {
      int j = i;
      String job = rows.get(i).getString(0);
      String series = rows.get(i).getString(1);
      while (j < rows.size() && rows.get(j).getString(0).equals(job)
          && rows.get(j).getString(1).equals(series)) {
        j++;
      }
      SeriesGrid g = SeriesGrid.of(rows.subList(i, j), stepSeconds, delay);
      for (int[] run : g.runs()) {
        int n = run[1] - run[0];
        DemandTrace t = n >= minLength ? g.trace(job, series, split, run, stepSeconds) : null;
        if (t == null) {
          dropped += n;
        } else {
          out.add(t);
        }
      }
      i = j;
    }
    return new Built(out, dropped);
  }

  /** One series' usage and forecasts on its time grid (index = (time - first) / step). */
  private record SeriesGrid(long first, double[] demand, double[][] lo, double[][] mid,
      double[][] hi) {

    static SeriesGrid of(List<Row> rows, long stepSeconds, int delay) {
      long step = stepSeconds * 1000;
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Row r : rows) {
        long origin = r.getLong(2);
        first = Math.min(first, origin);
        last = Math.max(last, origin + r.getInt(3) * step);
      }
      int n = (int) ((last - first) / step) + 1;
      double[] demand = nan(n);
      double[][] lo = new double[delay][];
      double[][] mid = new double[delay][];
      double[][] hi = new double[delay][];
      for (int k = 0; k < delay; k++) {
        lo[k] = nan(n);
        mid[k] = nan(n);
        hi[k] = nan(n);
      }
      for (Row r : rows) {
        int o = (int) ((r.getLong(2) - first) / step);
        int k = r.getInt(3) - 1;
        mid[k][o] = r.getDouble(4);
        lo[k][o] = r.getDouble(5);
        hi[k][o] = r.getDouble(6);
        if (!r.isNullAt(7)) {
          demand[o + k + 1] = Math.max(0, r.getDouble(7));
        }
      }
      return new SeriesGrid(first, demand, lo, mid, hi);
    }

    /** Maximal runs [from, to) of steps with usage and every forecast. */
    List<int[]> runs() {
      List<int[]> out = new ArrayList<>();
      int start = -1;
      for (int t = 0; t <= demand.length; t++) {
        boolean ok = t < demand.length && complete(t);
        if (ok && start < 0) {
          start = t;
        } else if (!ok && start >= 0) {
          out.add(new int[] {start, t});
          start = -1;
        }
      }
      return out;
    }

    private boolean complete(int t) {
      if (Double.isNaN(demand[t])) {
        return false;
      }
      for (int k = 0; k < lo.length; k++) {
        if (Double.isNaN(lo[k][t]) || Double.isNaN(mid[k][t]) || Double.isNaN(hi[k][t])) {
          return false;
        }
      }
      return true;
    }

    /** The trace of a run, or null when its usage is all zero. */
    DemandTrace trace(String job, String series, Split split, int[] run, long stepSeconds) {
      double[] d = Arrays.copyOfRange(demand, run[0], run[1]);
      double scale = Arrays.stream(d).average().orElse(0);
      if (!(scale > 0)) {
        return null;
      }
      int delay = lo.length;
      double[][] l = new double[delay][];
      double[][] p = new double[delay][];
      double[][] h = new double[delay][];
      for (int k = 0; k < delay; k++) {
        l[k] = Arrays.copyOfRange(lo[k], run[0], run[1]);
        p[k] = Arrays.copyOfRange(mid[k], run[0], run[1]);
        h[k] = Arrays.copyOfRange(hi[k], run[0], run[1]);
      }
      return new DemandTrace(job, series, split.label(), stepSeconds,
          first + run[0] * stepSeconds * 1000, d, l, p, h, scale);
    }

    private static double[] nan(int n) {
      double[] a = new double[n];
      Arrays.fill(a, Double.NaN);
      return a;
    }
  }
}
