package io.tracecast.autoscale.replay;

import java.util.Random;

/**
 * Proportional prioritised experience replay (Schaul et al. 2016), as Ape-X's learner keeps it
 * (Horgan et al. 2018): transition i is sampled with probability p_i^alpha / sum_j p_j^alpha,
 * where p_i is the priority its actor gave it (and the learner later its new TD error), and
 * corrected by the importance weight (N x P(i))^-beta, normalised by the batch's largest.
 * Sampling is stratified: the total mass is cut into {@code batch} equal segments and one
 * transition drawn from each. A ring buffer: the oldest transition is overwritten when full.
 *
 * <p>Transitions are flat: observation (features), action, reward, next observation, and the
 * forecast-spread term of its priority, kept so that the learner's new priorities carry it too.
 */
public final class PrioritizedReplay {
  private final int capacity;
  private final int features;
  private final double alpha;
  private final SumTree tree;
  private final float[] obs;
  private final float[] next;
  private final float[] action;
  private final float[] reward;
  private final float[] spread;
  private int size;
  private int cursor;

  public PrioritizedReplay(int capacity, int features, double alpha) {
    if (features < 1) {
      throw new IllegalArgumentException("features must be >= 1, got " + features);
    }
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
    }
    this.capacity = capacity;
    this.features = features;
    this.alpha = alpha;
    this.tree = new SumTree(capacity);
    this.obs = new float[capacity * features];
    this.next = new float[capacity * features];
    this.action = new float[capacity];
    this.reward = new float[capacity];
    this.spread = new float[capacity];
  }

  /** Adds {@code n} transitions from flat arrays (row-major observations). */
  public void addAll(Experience e) {
    if (e.features() != features) {
      throw new IllegalArgumentException("experience has " + e.features() + " features, the "
          + "replay " + features);
    }
    for (int i = 0; i < e.size(); i++) {
      int slot = cursor;
      System.arraycopy(e.obs(), i * features, obs, slot * features, features);
      System.arraycopy(e.next(), i * features, next, slot * features, features);
      action[slot] = e.action()[i];
      reward[slot] = e.reward()[i];
      spread[slot] = e.spread()[i];
      tree.set(slot, Math.pow(e.priority()[i], alpha));
      cursor = (cursor + 1) % capacity;
      size = Math.min(size + 1, capacity);
    }
  }

  public int size() {
    return size;
  }

  /** The sampling probability of the transition in {@code slot}. */
  public double probability(int slot) {
    return tree.get(slot) / tree.total();
  }

  /** Sets new priorities (not yet raised to alpha) of sampled transitions. */
  public void update(int[] slots, double[] priorities) {
    for (int i = 0; i < slots.length; i++) {
      tree.set(slots[i], Math.pow(priorities[i], alpha));
    }
  }

  /** The forecast-spread term of a slot's priority. */
  public float spread(int slot) {
    return spread[slot];
  }

  public Batch sample(int batch, double beta, Random rng) {
    if (size == 0) {
      throw new IllegalStateException("the replay is empty");
    }
    double total = tree.total();
    double segment = total / batch;
    Batch b = new Batch(batch, features);
    double maxWeight = 0;
    for (int i = 0; i < batch; i++) {
      double mass = Math.min((i + rng.nextDouble()) * segment, Math.nextDown(total));
      int slot = tree.find(mass);
      if (slot >= size) { // float rounding at the end of the filled range
        slot = size - 1;
      }
      b.slots[i] = slot;
      System.arraycopy(obs, slot * features, b.obs, i * features, features);
      System.arraycopy(next, slot * features, b.next, i * features, features);
      b.action[i] = action[slot];
      b.reward[i] = reward[slot];
      double p = tree.get(slot) / total;
      b.weight[i] = Math.pow(size * p, -beta);
      maxWeight = Math.max(maxWeight, b.weight[i]);
    }
    for (int i = 0; i < batch; i++) {
      b.weight[i] /= maxWeight;
    }
    return b;
  }

  /** A sampled batch (row-major observations) with its slots and importance weights. */
  public static final class Batch {
    public final int[] slots;
    public final float[] obs;
    public final float[] next;
    public final float[] action;
    public final float[] reward;
    public final double[] weight;

    Batch(int n, int features) {
      slots = new int[n];
      obs = new float[n * features];
      next = new float[n * features];
      action = new float[n];
      reward = new float[n];
      weight = new double[n];
    }

    public int size() {
      return slots.length;
    }
  }
}
