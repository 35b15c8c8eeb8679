package io.tracecast.evaluation.autoscaling;

/**
 * The trace-driven environment every autoscaling policy acts in, learned or not: one series'
 * recorded usage, capacity that a decision taken at step t sets for step t + delay (the start-up
 * delay: nothing decided now helps sooner), and the exact account of what each step cost.
 *
 * <p>An episode runs over steps [from, to) of the trace. Steps from .. from + delay - 1 have the
 * initial capacity (no decision reaches them); at each step t from {@code from} on, the policy
 * sees the usage up to t, the capacity in effect at t, the capacity already committed for
 * t + delay - 1, and the forecasts made at t, and decides the capacity of step t + delay, which
 * is scored against that step's usage at once (the trace knows it). The episode ends when
 * t + delay reaches {@code to}. So every policy is scored on the same steps, from + delay .. to-1.
 *
 * <p>Mutable, one per agent and episode; not thread-safe.
 */
public final class CapacityEnvironment {
  private final DemandTrace trace;
  private final AutoscalingSettings settings;
  private final double floor;
  private final double ceiling;
  private final double[] capacity;
  private int t;
  private int end;
  private int lastAction;
  private EpisodeAccount account;

  /**
   * @param minProvision the provisioning floor in series units ({@code provisioning.floor}); the
   *     floor is the larger of it and floor-fraction x the trace's mean usage
   */
  public CapacityEnvironment(DemandTrace trace, AutoscalingSettings settings,
      double minProvision) {
    this.trace = trace;
    this.settings = settings;
    this.floor = Math.max(minProvision, settings.floorFraction() * trace.scale());
    this.ceiling = Math.max(floor, settings.ceiling() * trace.scale());
    this.capacity = new double[trace.length()];
  }

  /**
   * The first step a decision can be taken at: the agent observes recent-steps of usage and the
   * upper bounds forecast for them, which were made delay steps earlier.
   */
  public int firstDecision() {
    return settings.recentSteps() - 1 + trace.delay();
  }

  /** The shortest trace an episode fits in: its first decision, then delay + 1 steps. */
  public static int minLength(AutoscalingSettings settings, int delay) {
    return settings.recentSteps() - 1 + delay + delay + 1;
  }

  /** Starts an episode over steps [from, to) with {@code initialCapacity} until decisions act. */
  public CapacityEnvironment start(int from, int to, double initialCapacity) {
    int delay = trace.delay();
    if (from < firstDecision() || to > trace.length() || to - from <= delay) {
      throw new IllegalArgumentException(trace.series() + ": episode [" + from + ", " + to
          + ") needs " + firstDecision() + " <= from and from + " + delay + " < to <= "
          + trace.length());
    }
    if (!Double.isFinite(initialCapacity)) {
      throw new IllegalArgumentException("initial capacity " + initialCapacity);
    }
    java.util.Arrays.fill(capacity, Double.NaN);
    for (int i = from; i < from + delay; i++) {
      capacity[i] = bounded(initialCapacity);
    }
    t = from;
    end = to;
    lastAction = Integer.MIN_VALUE / 2;
    account = new EpisodeAccount(trace.stepSeconds(), settings.reward());
    return this;
  }

  /** Starts an episode over the whole trace, warm-started at the first usage x (1 + headroom). */
  public CapacityEnvironment startWhole(double headroom) {
    int from = firstDecision();
    return start(from, trace.length(), trace.demand()[from] * (1 + headroom));
  }

  public boolean done() {
    return t + trace.delay() >= end;
  }

  /**
   * Sets the capacity of step t + delay to the target within [floor, ceiling], scores that step
   * and moves to t + 1.
   *
   * @return the step's reward: minus its cost ({@link AutoscalingSettings.Reward#cost})
   */
  public double decide(double target) {
    if (done()) {
      throw new IllegalStateException(trace.series() + ": the episode ended at step " + t);
    }
    if (!Double.isFinite(target)) {
      throw new IllegalArgumentException(trace.series() + " step " + t + ": target capacity "
          + target);
    }
    int scored = t + trace.delay();
    double next = bounded(target);
    if (next != committed()) {
      lastAction = t;
    }
    capacity[scored] = next;
    double usage = trace.demand()[scored];
    account.add(usage, next);
    t++;
    return -settings.reward().cost(usage, next, trace.scale());
  }

  private double bounded(double target) {
    return Math.min(ceiling, Math.max(floor, target));
  }

  /** The capacity an agent's action a in [-1, 1] asks for: anchor x maxFactor^a. */
  public double targetOf(double action) {
    double a = Math.max(-1, Math.min(1, action));
    return anchor() * Math.pow(settings.maxFactor(), a);
  }

  /**
   * What an action's factor applies to ({@link AutoscalingSettings.Anchor}): the p90 forecast
   * for the step the decision sets, or the committed capacity; at least the floor.
   */
  public double anchor() {
    double x = settings.anchor() == AutoscalingSettings.Anchor.FORECAST
        ? p90(trace.delay() - 1) : committed();
    return Math.max(floor, x);
  }

  /** The current decision step. */
  public int step() {
    return t;
  }

  /** Usage {@code age} steps before the current step (0: now). */
  public double usage(int age) {
    return trace.demand()[t - age];
  }

  /** The p90 forecast for the step {@code age} steps before now, made delay steps before it. */
  public double pastUpperBound(int age) {
    return trace.p90()[trace.delay() - 1][t - age - trace.delay()];
  }

  /** The capacity in effect at the current step. */
  public double capacityNow() {
    return capacity[t];
  }

  /** The capacity already decided for step t + delay - 1: what a new decision changes. */
  public double committed() {
    return capacity[t + trace.delay() - 1];
  }

  /** The forecasts made at the current step for step t + k + 1, k in [0, delay). */
  public double p10(int k) {
    return trace.p10()[k][t];
  }

  public double p50(int k) {
    return trace.p50()[k][t];
  }

  public double p90(int k) {
    return trace.p90()[k][t];
  }

  /** Steps since the last decision that changed capacity (large before the first). */
  public int stepsSinceAction() {
    return t - lastAction;
  }

  public int delay() {
    return trace.delay();
  }

  public double floor() {
    return floor;
  }

  public DemandTrace trace() {
    return trace;
  }

  public AutoscalingSettings settings() {
    return settings;
  }

  /** What the episode cost so far. */
  public EpisodeAccount account() {
    return account;
  }

  /** Capacity per step of the trace (NaN outside the episode and beyond what was decided). */
  public double[] capacities() {
    return capacity.clone();
  }
}
