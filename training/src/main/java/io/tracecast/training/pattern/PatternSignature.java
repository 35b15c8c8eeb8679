package io.tracecast.training.pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The usage pattern of one series: its shape, not its size. The Spark job that signs every
 * series of a dataset and the assignment of a new job from its first hours both build it with
 * {@link #ofValues}, so the two can never disagree on what a feature means.
 *
 * <p>Features a short series cannot measure are NaN here ("unknown"), so that assignment can
 * leave them out; {@link #vector()} maps them to their neutral value 0 for clustering.
 *
 * @param level mean of the series, in its original units; describes size, so it is not in
 *     {@link #vector()}
 * @param cv coefficient of variation std / |mean| (population std), capped at {@link #CV_CAP}:
 *     0 for a constant series, the cap when the mean is ~0 but the series varies
 * @param acfLag1 autocorrelation at one step, over the pairs of points one step apart (gaps
 *     between segments are not bridged), in [-1, 1]; 0 with no such pair
 * @param acfDay autocorrelation at one day ({@link #daySteps} steps), as acfLag1; NaN when the
 *     series spans less than two days, where one day of lag leaves too few pairs to mean much
 * @param burstiness the share of one-step changes |Δ| larger than 3 x the median |Δ|, in
 *     [0, 1]: about 0.04 for Gaussian noise and for smooth series with noise on top, 2 x the
 *     spike rate more for isolated spikes. Chosen over (p95 - median) / std because it is
 *     scale-free, bounded and robust: the median |Δ| ignores the spikes it is meant to count
 * @param dailyProfile 24 values, one per UTC hour of day h: (mean of the points in hour h -
 *     series mean) / series std; all 0 for a flat series, NaN for an hour without points.
 *     Normalised by the series' std rather than by the std of the 24 means, so that its
 *     amplitude says how much of the variation is daily: the hourly means of pure noise would
 *     otherwise be blown up into a fake daily pattern of amplitude 1
 * @param points the number of points the signature was computed from
 */
public record PatternSignature(double level, double cv, double acfLag1, double acfDay,
    double burstiness, double[] dailyProfile, long points) {

  public static final int HOURS = 24;
  public static final double CV_CAP = 10.0;
  /** A one-step change counts as a burst above this multiple of the median |Δ|. */
  public static final double BURST_FACTOR = 3.0;
  /** Names of the {@link #vector()} coordinates, in order. */
  public static final List<String> FEATURES = featureNames();
  /**
   * Weight of each standardised {@link #vector()} coordinate in the clustering distance. A
   * smooth daily shape has about two degrees of freedom (amplitude and peak hour), so the 24
   * profile hours together weigh as much as two scalar features: unweighted, they outvote the
   * four scalars 24 to 4 and any clustering becomes "daily or not" (measured: silhouette then
   * prefers k = 2 on three clearly distinct synthetic patterns).
   */
  public static final List<Double> WEIGHTS = featureWeights();

  private static final int SCALARS = 4;
  private static final long DAY_SECONDS = 86_400;
  private static final long HOUR_MILLIS = 3_600_000;

  public PatternSignature {
    if (dailyProfile == null || dailyProfile.length != HOURS) {
      throw new IllegalArgumentException("daily profile needs " + HOURS + " hours");
    }
    dailyProfile = dailyProfile.clone();
    if (points < 1 || !Double.isFinite(level) || !(cv >= 0 && cv <= CV_CAP)
        || !(Math.abs(acfLag1) <= 1) || !(Double.isNaN(acfDay) || Math.abs(acfDay) <= 1)
        || !(burstiness >= 0 && burstiness <= 1)) {
      throw new IllegalArgumentException("signature out of range: points " + points + ", level "
          + level + ", cv " + cv + ", acf " + acfLag1 + "/" + acfDay + ", burstiness "
          + burstiness);
    }
  }

  /**
   * Signs one series, points in time order.
   *
   * @param values the target in original units, no NaN
   * @param timesMillis epoch milliseconds (UTC), strictly ascending, on a grid of stepSeconds
   *     (a point off the grid is rounded to the nearest step); missing steps are gaps
   * @param stepSeconds the dataset's step
   */
  public static PatternSignature ofValues(double[] values, long[] timesMillis, long stepSeconds) {
    if (values.length != timesMillis.length || values.length == 0 || stepSeconds < 1) {
      throw new IllegalArgumentException("need as many times as values (" + values.length
          + " vs " + timesMillis.length + "), at least one point, and a step >= 1 s");
    }
    double mean = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("values must be finite, got " + v);
      }
      mean += v / values.length;
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(ss / values.length);
    // Rounding noise on a constant series is not variation: treat it as exactly flat.
    double spread = std <= 1e-12 * Math.max(1, Math.abs(mean)) ? 0 : std;
    double[] grid = onGrid(values, timesMillis, stepSeconds);
    int day = daySteps(stepSeconds);
    double acfDay = grid.length < 2 * day ? Double.NaN : autocorrelation(grid, day, mean, spread);
    return new PatternSignature(mean, coefficientOfVariation(mean, spread),
        autocorrelation(grid, 1, mean, spread), acfDay, burstiness(grid),
        dailyProfile(values, timesMillis, mean, spread), values.length);
  }

  /** Steps in one day at this step (at least 1). */
  public static int daySteps(long stepSeconds) {
    return (int) Math.max(1, Math.round((double) DAY_SECONDS / stepSeconds));
  }

  /**
   * The scale-free features for clustering, named by {@link #FEATURES}: cv, acfLag1, acfDay,
   * burstiness, then the 24 profile hours; unknown ones (NaN) as 0: no autocorrelation, an
   * hour at the series mean.
   */
  public double[] vector() {
    double[] v = rawVector();
    for (int i = 0; i < v.length; i++) {
      v[i] = Double.isNaN(v[i]) ? 0 : v[i];
    }
    return v;
  }

  /** Which {@link #vector()} coordinates were measured (false where the signature has NaN). */
  public boolean[] known() {
    double[] v = rawVector();
    boolean[] k = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      k[i] = !Double.isNaN(v[i]);
    }
    return k;
  }

  @Override
  public double[] dailyProfile() {
    return dailyProfile.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PatternSignature s && Double.compare(level, s.level) == 0
        && Double.compare(cv, s.cv) == 0 && Double.compare(acfLag1, s.acfLag1) == 0
        && Double.compare(acfDay, s.acfDay) == 0 && Double.compare(burstiness, s.burstiness) == 0
        && Arrays.equals(dailyProfile, s.dailyProfile) && points == s.points;
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(level, cv, acfLag1, acfDay, burstiness, points)
        + Arrays.hashCode(dailyProfile);
  }

  @Override
  public String toString() {
    return "PatternSignature[level=" + level + ", cv=" + cv + ", acfLag1=" + acfLag1
        + ", acfDay=" + acfDay + ", burstiness=" + burstiness + ", dailyProfile="
        + Arrays.toString(dailyProfile) + ", points=" + points + "]";
  }

  private double[] rawVector() {
    double[] v = new double[SCALARS + HOURS];
    v[0] = cv;
    v[1] = acfLag1;
    v[2] = acfDay;
    v[3] = burstiness;
    System.arraycopy(dailyProfile, 0, v, SCALARS, HOURS);
    return v;
  }

  private static List<String> featureNames() {
    List<String> names = new ArrayList<>(List.of("cv", "acf_lag1", "acf_day", "burstiness"));
    for (int h = 0; h < HOURS; h++) {
      names.add(String.format("profile_h%02d", h));
    }
    return List.copyOf(names);
  }

  private static List<Double> featureWeights() {
    List<Double> w = new ArrayList<>(List.of(1.0, 1.0, 1.0, 1.0));
    for (int h = 0; h < HOURS; h++) {
      w.add(Math.sqrt(2.0 / HOURS));
    }
    return List.copyOf(w);
  }

  private static double coefficientOfVariation(double mean, double std) {
    if (std == 0) {
      return 0;
    }
    return Math.abs(mean) <= 1e-12 ? CV_CAP : Math.min(CV_CAP, std / Math.abs(mean));
  }

  /** Values by step index from the first point, NaN where a step has no point. */
  private static double[] onGrid(double[] values, long[] timesMillis, long stepSeconds) {
    double stepMillis = stepSeconds * 1000.0;
    long span = Math.round((timesMillis[timesMillis.length - 1] - timesMillis[0]) / stepMillis);
    if (span < 0 || span > Integer.MAX_VALUE - 1) {
      throw new IllegalArgumentException("times must ascend within 2^31 steps");
    }
    double[] grid = new double[(int) span + 1];
    Arrays.fill(grid, Double.NaN);
    int previous = -1;
    for (int i = 0; i < values.length; i++) {
      int idx = (int) Math.round((timesMillis[i] - timesMillis[0]) / stepMillis);
      if (idx <= previous) {
        throw new IllegalArgumentException("times must ascend one step or more apart, got "
            + timesMillis[i] + " after " + timesMillis[i - 1] + " at a step of " + stepSeconds
            + " s");
      }
      grid[idx] = values[i];
      previous = idx;
    }
    return grid;
  }

  /**
   * Mean lagged product over the pairs present, divided by the series variance: normalising by
   * the pair count (not by n) keeps a one-day lag on a two-day series from being halved.
   */
  private static double autocorrelation(double[] grid, int lag, double mean, double std) {
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i + lag < grid.length; i++) {
      if (!Double.isNaN(grid[i]) && !Double.isNaN(grid[i + lag])) {
        sum += (grid[i] - mean) * (grid[i + lag] - mean);
        pairs++;
      }
    }
    if (pairs == 0 || std == 0) {
      return 0;
    }
    return Math.max(-1, Math.min(1, sum / pairs / (std * std)));
  }

  private static double burstiness(double[] grid) {
    double[] jumps = new double[grid.length];
    int n = 0;
    for (int i = 1; i < grid.length; i++) {
      if (!Double.isNaN(grid[i]) && !Double.isNaN(grid[i - 1])) {
        jumps[n++] = Math.abs(grid[i] - grid[i - 1]);
      }
    }
    if (n == 0) {
      return 0;
    }
    double[] sorted = Arrays.copyOf(jumps, n);
    Arrays.sort(sorted);
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    double threshold = BURST_FACTOR * median;
    long bursts = 0;
    for (int i = 0; i < n; i++) {
      if (jumps[i] > threshold) {
        bursts++;
      }
    }
    return (double) bursts / n;
  }

  /** std 0 means flat: every known hour is 0. */
  private static double[] dailyProfile(double[] values, long[] timesMillis, double mean,
      double std) {
    double[] sums = new double[HOURS];
    long[] counts = new long[HOURS];
    for (int i = 0; i < values.length; i++) {
      int hour = (int) Math.floorMod(Math.floorDiv(timesMillis[i], HOUR_MILLIS), (long) HOURS);
      sums[hour] += values[i];
      counts[hour]++;
    }
    double[] profile = new double[HOURS];
    for (int h = 0; h < HOURS; h++) {
      if (counts[h] == 0) {
        profile[h] = Double.NaN;
      } else {
        profile[h] = std == 0 ? 0 : (sums[h] / counts[h] - mean) / std;
      }
    }
    return profile;
  }
}
