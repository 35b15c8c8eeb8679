package io.tracecast.evaluation.interval;

/**
 * The conformal state an online forecaster keeps for one (job, model, version, step, target):
 * the most recent residuals ({@link RollingResiduals}) and, with {@code gamma > 0}, Adaptive
 * Conformal Inference's running miscoverage level per interval level (Gibbs and Candès 2021,
 * "Adaptive conformal inference under distribution shift"): after each observed forecast,
 * {@code alpha <- alpha + gamma (nominal alpha - miss)}, where miss is 1 when the actual fell
 * outside the interval that forecast was issued with. A run of misses widens the next bands, a
 * run of hits narrows them, so the coverage over any long stretch approaches nominal even where
 * the residuals are not exchangeable (volatility that comes in bursts, which a window of recent
 * residuals alone trails). {@code gamma = 0} keeps every level nominal: plain rolling bands.
 *
 * <p>Mutable: it lives inside one calibration pass.
 */
public final class OnlineConformal {
  /** Keeps a running level inside (0, 1): ranks exist for every window size at the extremes. */
  private static final double ALPHA_BOUND = 1e-6;

  private final double[] levels;
  private final double gamma;
  private final RollingResiduals recent;
  /** The running miscoverage per level, nominal {@code 1 - level} at the start. */
  private final double[] alpha;

  /**
   * @param levels nominal coverages, ascending
   * @param window residuals a band is calibrated on
   * @param gamma ACI step size per observed forecast, >= 0 (0 = no adaptation)
   */
  public OnlineConformal(double[] levels, int window, double gamma) {
    if (!(gamma >= 0 && gamma < 1)) {
      throw new IllegalArgumentException("ACI step size must lie in [0, 1), got " + gamma);
    }
    this.levels = levels.clone();
    this.gamma = gamma;
    this.recent = new RollingResiduals(window);
    this.alpha = new double[levels.length];
    for (int l = 0; l < levels.length; l++) {
      alpha[l] = 1 - levels[l];
    }
  }

  /**
   * Records the residual ({@code actual - forecast}) of a forecast whose target has just been
   * observed, and the offsets it was issued with ({@code [lo, hi]} per level, or null if it had
   * no band: then only the window learns from it).
   */
  public void observe(double residual, double[] issued) {
    if (!Double.isFinite(residual)) {
      return;
    }
    recent.add(residual);
    if (issued != null && gamma > 0) {
      for (int l = 0; l < levels.length; l++) {
        boolean miss = residual < issued[2 * l] || residual > issued[2 * l + 1];
        alpha[l] += gamma * ((1 - levels[l]) - (miss ? 1 : 0));
      }
    }
  }

  /**
   * The offsets for a forecast issued now, {@code [lo, hi]} per level, nested (a wider level
   * never narrower), or null until the window is full. At a running level beyond the window's
   * ranks, the band is the window's extreme residuals.
   */
  public double[] offsets() {
    if (!recent.full()) {
      return null;
    }
    double[] out = new double[2 * levels.length];
    for (int l = 0; l < levels.length; l++) {
      double a = Math.min(1 - ALPHA_BOUND, Math.max(ALPHA_BOUND, alpha[l]));
      double[] o = recent.offsets(1 - a);
      if (o == null) {
        o = recent.extremes();
      }
      out[2 * l] = l > 0 ? Math.min(o[0], out[2 * l - 2]) : o[0];
      out[2 * l + 1] = l > 0 ? Math.max(o[1], out[2 * l - 1]) : o[1];
    }
    return out;
  }

  /** The running miscoverage of level {@code l} (for tests and logs). */
  public double alpha(int l) {
    return alpha[l];
  }
}
