package io.tracecast.training.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The tree-structured Parzen estimator of Bergstra et al. (NIPS 2011), univariate as in
 * Hyperopt and Optuna's default: the scored trials are split by objective into the best
 * {@code gamma} share ("good") and the rest; per dimension, a Parzen estimator l(x) is fitted on
 * the good values and g(x) on the others, {@value #CANDIDATES} candidates are drawn from l, and
 * the one maximising l(x)/g(x) is proposed. The first {@value #STARTUP_TRIALS} proposals are
 * random. No maintained Java TPE is on Maven Central, so this is a compact one on commons-math3.
 *
 * <p>Numeric estimators: a truncated normal on each observation in the internal coordinate (log
 * for log types), plus a prior one at the range's centre with the range as its width; each
 * bandwidth is the larger gap to its sorted neighbours, clipped to [range / min(100, n + 1),
 * range] (Hyperopt's adaptive Parzen rule). Categorical estimators: counts plus one per choice.
 */
public final class TpeSampler implements Sampler {
  static final int STARTUP_TRIALS = 10;
  static final int CANDIDATES = 24;
  /** Share of scored trials that are "good", at most {@value #MAX_GOOD}. */
  static final double GAMMA = 0.25;
  static final int MAX_GOOD = 25;

  @Override
  public Map<String, Object> propose(SearchSpace space, List<Trial> finished, Random rnd) {
    List<Trial> scored = finished.stream().filter(Trial::scored)
        .sorted(Comparator.comparingDouble(Trial::objective)).toList();
    if (scored.size() < STARTUP_TRIALS) {
      return new RandomSampler().propose(space, finished, rnd);
    }
    int good = Math.min(MAX_GOOD, Math.max(1, (int) Math.ceil(GAMMA * scored.size())));
    Map<String, Object> p = new LinkedHashMap<>();
    for (Dimension d : space.dimensions()) {
      double[] below = values(d, scored.subList(0, good));
      double[] above = values(d, scored.subList(good, scored.size()));
      p.put(d.name(), d.valueAt(d.isCategorical()
          ? bestChoice(d.choices().size(), below, above, rnd)
          : bestNumeric(d, below, above, rnd)));
    }
    return p;
  }

  /** Internal coordinates of the trials' values of {@code d} (values outside it dropped). */
  private static double[] values(Dimension d, List<Trial> trials) {
    return trials.stream().mapToDouble(t -> d.internal(t.params().get(d.name())))
        .filter(Double::isFinite).toArray();
  }

  private static double bestNumeric(Dimension d, double[] below, double[] above, Random rnd) {
    Parzen l = new Parzen(below, d.internalLow(), d.internalHigh());
    Parzen g = new Parzen(above, d.internalLow(), d.internalHigh());
    double best = Double.NaN;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < CANDIDATES; i++) {
      double x = l.sample(rnd);
      double score = Math.log(l.density(x)) - Math.log(g.density(x));
      if (score > bestScore || Double.isNaN(best)) {
        best = x;
        bestScore = score;
      }
    }
    return best;
  }

  private static double bestChoice(int n, double[] below, double[] above, Random rnd) {
    double[] l = counts(n, below);
    double[] g = counts(n, above);
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < CANDIDATES; i++) {
      int k = draw(l, rnd);
      double score = Math.log(l[k]) - Math.log(g[k]);
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    return best;
  }

  /** Choice weights: one (the prior) plus the observations, normalised. */
  private static double[] counts(int n, double[] observed) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0);
    for (double x : observed) {
      w[(int) x] += 1;
    }
    double sum = java.util.Arrays.stream(w).sum();
    for (int i = 0; i < n; i++) {
      w[i] /= sum;
    }
    return w;
  }

  private static int draw(double[] weights, Random rnd) {
    double u = rnd.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u <= 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** An equal-weight mixture of normals truncated to [low, high], with the prior component. */
  static final class Parzen {
    private final double low;
    private final double high;
    private final List<NormalDistribution> parts = new ArrayList<>();
    private final double[] mass;

    Parzen(double[] observed, double low, double high) {
      this.low = low;
      this.high = high;
      double range = Math.max(high - low, 1e-12);
      double[] mus = new double[observed.length + 1];
      System.arraycopy(observed, 0, mus, 0, observed.length);
      mus[observed.length] = (low + high) / 2; // the prior
      java.util.Arrays.sort(mus);
      double minSigma = range / Math.min(100, mus.length);
      mass = new double[mus.length];
      for (int i = 0; i < mus.length; i++) {
        double left = i > 0 ? mus[i] - mus[i - 1] : mus[i] - low;
        double right = i < mus.length - 1 ? mus[i + 1] - mus[i] : high - mus[i];
        double sigma = Math.max(minSigma, Math.min(range, Math.max(left, right)));
        if (mus.length == 1) {
          sigma = range;
        }
        NormalDistribution n = new NormalDistribution(null, mus[i], sigma, 1e-9);
        parts.add(n);
        mass[i] = Math.max(1e-300, n.cumulativeProbability(high) - n.cumulativeProbability(low));
      }
    }

    double density(double x) {
      double sum = 0;
      for (int i = 0; i < parts.size(); i++) {
        sum += parts.get(i).density(x) / mass[i];
      }
      return Math.max(sum / parts.size(), 1e-300);
    }

    double sample(Random rnd) {
      NormalDistribution n = parts.get(rnd.nextInt(parts.size()));
      double a = n.cumulativeProbability(low);
      double b = n.cumulativeProbability(high);
      double x = n.inverseCumulativeProbability(a + rnd.nextDouble() * (b - a));
      return Math.max(low, Math.min(high, x));
    }
  }
}
