package io.tracecast.evaluation.autoscaling;

/**
 * What a learned policy observes, the one home of its layout (training and evaluation both call
 * it): quantities relative to the action's anchor c ({@link CapacityEnvironment#anchor}), as
 * log ratios ln(x / c) clipped to [-4, 4], so that the action that tracks a target is
 * near-linear in them and the policy is the same for a series at 0.002 and one at 50 units:
 * <ol>
 *   <li>per forecast step k = 1..delay: ln(p10 / c), ln(p50 / c), ln(p90 / c);
 *   <li>per recent step j = 0..recent-1: ln(usage[t - j] / c);
 *   <li>per recent step j = 0..recent-1: ln(usage[t - j] / p90 forecast for it), the forecast
 *       made delay steps before it: how the upper bound fared lately, which a static band cannot
 *       follow (the policy can buy more headroom while the forecaster under-covers);
 *   <li>utilisation now, usage[t] / capacity[t], clipped to [0, 4];
 *   <li>ln(capacity[t] / c), ln(committed / c) (the capacity decided for the step before the
 *       one this decision sets);
 *   <li>steps since the last capacity change, min(n, 12) / 12.
 * </ol>
 * Values below the floor count as the floor (a forecast can be negative; capacity cannot).
 */
public final class PolicyFeatures {
  private static final double CLIP = 4;
  private static final int SINCE_CAP = 12;

  private PolicyFeatures() {}

  public static int size(int delay, int recentSteps) {
    return 3 * delay + 2 * recentSteps + 4;
  }

  /** The observation at the environment's current step, written into {@code out} at offset. */
  public static void write(CapacityEnvironment env, float[] out, int offset) {
    double c = env.anchor();
    double eps = Math.max(env.floor(), 1e-12);
    int i = offset;
    for (int k = 0; k < env.delay(); k++) {
      out[i++] = ratio(env.p10(k), c, eps);
      out[i++] = ratio(env.p50(k), c, eps);
      out[i++] = ratio(env.p90(k), c, eps);
    }
    int recent = env.settings().recentSteps();
    for (int j = 0; j < recent; j++) {
      out[i++] = ratio(env.usage(j), c, eps);
    }
    for (int j = 0; j < recent; j++) {
      out[i++] = ratio(env.usage(j), Math.max(env.pastUpperBound(j), eps), eps);
    }
    double now = env.capacityNow();
    out[i++] = (float) Math.min(CLIP, Math.max(0, env.usage(0) / Math.max(now, eps)));
    out[i++] = ratio(now, c, eps);
    out[i++] = ratio(Math.max(env.committed(), env.floor()), c, eps);
    out[i] = (float) Math.min(env.stepsSinceAction(), SINCE_CAP) / SINCE_CAP;
  }

  public static float[] of(CapacityEnvironment env) {
    float[] out = new float[size(env.delay(), env.settings().recentSteps())];
    write(env, out, 0);
    return out;
  }

  private static float ratio(double x, double c, double eps) {
    double r = Math.log(Math.max(x, eps) / c);
    return (float) Math.max(-CLIP, Math.min(CLIP, r));
  }
}
