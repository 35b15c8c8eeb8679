package io.tracecast.evaluation.baseline;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * Conditional-sum-of-squares (CSS) estimation of ARMA(p, q) models of one (already
 * differenced) series w, the method of R's {@code arima(method = "CSS")}.
 *
 * <p>The model is w_s - μ = Σ φ_i (w_{s-i} - μ) + e_s + Σ θ_j e_{s-j}. Residuals are computed
 * for s >= p with e_s = 0 before that (conditioning on the first p values); the CSS is the sum of
 * e_s² for s >= scoreFrom. It is minimised by Levenberg–Marquardt on the residual vector with
 * the exact Jacobian (the derivatives obey the same MA recursion as the residuals), started from
 * Hannan–Rissanen values (OLS on lags of w and of long-AR residuals), and kept stationary and
 * invertible by projecting every trial point into {@link ArmaConstraints}.
 *
 * <p>One estimator per differenced series: the long autoregression of the Hannan–Rissanen start
 * is fitted once and shared by every (p, q) tried.
 */
final class CssEstimator {
  /** Coefficients and fit of one ARMA(p, q); {@code scored} residuals entered the CSS. */
  record ArmaFit(double mean, double[] ar, double[] ma, double css, int scored) {}

  /** Marquardt iterations; an admissible optimum takes 2-10, a boundary case stops here. */
  private static final int MAX_ITERATIONS = 40;
  private static final double STEP_TOLERANCE = 1e-10;
  /** Relative CSS improvement below which an accepted step ends the search. */
  private static final double CSS_TOLERANCE = 1e-12;

  private final double[] w;
  private final boolean includeMean;
  private double[] longArResiduals;
  private int longArOrder;

  CssEstimator(double[] w, boolean includeMean) {
    this.w = w;
    this.includeMean = includeMean;
  }

  /** Fits ARMA(p, q); residuals at indices >= scoreFrom (>= p) enter the CSS. */
  ArmaFit fit(int p, int q, int scoreFrom) {
    if (scoreFrom < p || scoreFrom >= w.length) {
      throw new IllegalArgumentException("scoreFrom " + scoreFrom + " outside " + p + ".."
          + (w.length - 1));
    }
    double[] start = startValues(p, q);
    double[] best = start.length == 0 ? start : minimise(p, q, scoreFrom, start);
    NormalEquations at = new NormalEquations(best.length);
    recurse(best, p, q, scoreFrom, at);
    int offset = includeMean ? 1 : 0;
    return new ArmaFit(includeMean ? best[0] : 0,
        Arrays.copyOfRange(best, offset, offset + p),
        Arrays.copyOfRange(best, offset + p, offset + p + q), at.css, w.length - scoreFrom);
  }

  /**
   * Levenberg–Marquardt: solve (JᵀJ + λ diag(JᵀJ)) δ = -Jᵀe, accept δ when it lowers the CSS
   * (then trust the Gauss–Newton model more, λ / 10), otherwise damp harder (λ * 10). Trial
   * points are projected into the admissible region, so the result is always admissible and
   * never worse than the start.
   *
   * <p>Written here rather than calling commons-math3's LevenbergMarquardtOptimizer: that one
   * needs the n x k Jacobian as a RealMatrix and spent ~80% of a fit in its generic QR of it;
   * accumulating the k x k normal equations during the residual pass is O(n k²) with no n x k
   * storage, which is what keeps the 24-order grid within tens of milliseconds per series.
   */
  private double[] minimise(int p, int q, int scoreFrom, double[] start) {
    int k = start.length;
    double[] point = start;
    NormalEquations current = new NormalEquations(k);
    recurse(point, p, q, scoreFrom, current);
    double lambda = 1e-3;
    for (int iteration = 0; iteration < MAX_ITERATIONS && lambda < 1e12; iteration++) {
      double[] step = current.dampedStep(lambda);
      if (step == null) {
        lambda *= 10;
        continue;
      }
      double[] trial = new double[k];
      boolean moved = false;
      for (int c = 0; c < k; c++) {
        trial[c] = point[c] + step[c];
        moved |= Math.abs(step[c]) > STEP_TOLERANCE * (1 + Math.abs(point[c]));
      }
      if (!moved) {
        break;
      }
      trial = project(trial, p, q);
      NormalEquations next = new NormalEquations(k);
      recurse(trial, p, q, scoreFrom, next);
      if (next.css < current.css) {
        boolean converged = current.css - next.css <= CSS_TOLERANCE * current.css;
        point = trial;
        current = next;
        if (converged) {
          break;
        }
        lambda = Math.max(lambda / 10, 1e-12);
      } else {
        lambda *= 10;
      }
    }
    return point;
  }

  /** CSS, Jᵀe and JᵀJ of the residual vector at one parameter point. */
  private static final class NormalEquations {
    final double[] gradient;
    final double[][] normal;
    double css;

    NormalEquations(int k) {
      gradient = new double[k];
      normal = new double[k][k];
    }

    void add(double e, double[] row) {
      css += e * e;
      for (int a = 0; a < row.length; a++) {
        gradient[a] += row[a] * e;
        for (int b = 0; b <= a; b++) {
          normal[a][b] += row[a] * row[b];
        }
      }
    }

    /** The damped Gauss–Newton step, or null when the damped system is singular. */
    double[] dampedStep(double lambda) {
      int k = gradient.length;
      double[][] damped = new double[k][k];
      for (int a = 0; a < k; a++) {
        for (int b = 0; b <= a; b++) {
          damped[a][b] = normal[a][b];
          damped[b][a] = normal[a][b];
        }
        damped[a][a] += lambda * Math.max(normal[a][a], 1e-12);
      }
      DecompositionSolver solver = new LUDecomposition(new Array2DRowRealMatrix(damped, false))
          .getSolver();
      if (!solver.isNonSingular()) {
        return null;
      }
      return solver.solve(new ArrayRealVector(gradient, false)).mapMultiply(-1).toArray();
    }
  }

  /**
   * One pass of the residual recursion: e_s for s >= p (0 before), with the derivatives of e_s
   * by each parameter, which follow the same MA recursion, kept for the last q steps only. Terms
   * with s >= scoreFrom are added to {@code sums}.
   */
  private void recurse(double[] params, int p, int q, int scoreFrom, NormalEquations sums) {
    int offset = includeMean ? 1 : 0;
    double mu = includeMean ? params[0] : 0;
    int k = params.length;
    int n = w.length;
    double sumAr = 0;
    for (int i = 0; i < p; i++) {
      sumAr += params[offset + i];
    }
    double[] e = new double[n];
    double[][] recent = new double[q + 1][k]; // derivative rows of e_{s}, e_{s-1}, ..., ring
    for (int s = p; s < n; s++) {
      double[] row = recent[s % (q + 1)];
      double v = w[s] - mu;
      if (includeMean) {
        row[0] = -(1 - sumAr);
      }
      for (int i = 0; i < p; i++) {
        double lagged = w[s - 1 - i] - mu;
        v -= params[offset + i] * lagged;
        row[offset + i] = -lagged;
      }
      for (int j = 0; j < q; j++) {
        row[offset + p + j] = 0;
      }
      for (int j = 0; j < q; j++) {
        int lag = s - 1 - j;
        if (lag < p) {
          break;
        }
        double theta = params[offset + p + j];
        v -= theta * e[lag];
        row[offset + p + j] -= e[lag];
        double[] laggedRow = recent[lag % (q + 1)];
        for (int c = 0; c < k; c++) {
          row[c] -= theta * laggedRow[c];
        }
      }
      e[s] = v;
      if (s >= scoreFrom) {
        sums.add(v, row);
      }
    }
  }

  private double[] project(double[] point, int p, int q) {
    double[] params = point.clone();
    int offset = includeMean ? 1 : 0;
    double[] ar = ArmaConstraints.stationary(Arrays.copyOfRange(params, offset, offset + p));
    double[] ma = ArmaConstraints.invertible(
        Arrays.copyOfRange(params, offset + p, offset + p + q));
    System.arraycopy(ar, 0, params, offset, p);
    System.arraycopy(ma, 0, params, offset + p, q);
    return params;
  }

  /**
   * Hannan–Rissanen: regress w_s on its p lags and on q lags of the residuals of a long
   * autoregression (which stand in for the unobserved shocks); for q = 0 this is already the CSS
   * solution up to the mean parametrisation. Falls back to zeros and the sample mean when a
   * regression is singular (e.g. a constant stretch).
   */
  private double[] startValues(int p, int q) {
    int offset = includeMean ? 1 : 0;
    double[] start = new double[offset + p + q];
    double mean = includeMean ? mean(w) : 0;
    if (includeMean) {
      start[0] = mean;
    }
    if (p + q == 0) {
      return start;
    }
    double[] shocks = q == 0 ? null : longArResiduals();
    int first = q == 0 ? p : Math.max(p, longArOrder + q);
    if (w.length - first <= 2 * (p + q + 1)) {
      return start;
    }
    double[] beta;
    try {
      beta = LaggedRegression.fit(w, shocks, p, q, first, includeMean);
    } catch (RuntimeException singular) {
      return start;
    }
    double[] ar = ArmaConstraints.stationary(Arrays.copyOfRange(beta, offset, offset + p));
    double[] ma = ArmaConstraints.invertible(Arrays.copyOfRange(beta, offset + p, offset + p + q));
    if (includeMean) {
      double sumAr = 0;
      for (double a : ar) {
        sumAr += a;
      }
      start[0] = Math.abs(1 - sumAr) > 1e-3 ? beta[0] / (1 - sumAr) : mean;
    }
    System.arraycopy(ar, 0, start, offset, p);
    System.arraycopy(ma, 0, start, offset + p, q);
    return start;
  }

  /** Residuals of an AR(m) by OLS, m ~ 10 log10(n) capped at 20 and n / 4; 0 before index m. */
  private double[] longArResiduals() {
    if (longArResiduals == null) {
      int n = w.length;
      longArOrder = Math.max(1, Math.min(Math.min(20, (int) Math.ceil(10 * Math.log10(n))),
          n / 4));
      longArResiduals = new double[n];
      try {
        double[] beta = LaggedRegression.fit(w, null, longArOrder, 0, longArOrder, includeMean);
        int offset = includeMean ? 1 : 0;
        for (int s = longArOrder; s < n; s++) {
          double fitted = includeMean ? beta[0] : 0;
          for (int i = 0; i < longArOrder; i++) {
            fitted += beta[offset + i] * w[s - 1 - i];
          }
          longArResiduals[s] = w[s] - fitted;
        }
      } catch (RuntimeException singular) {
        // all-zero shocks: the MA start values come out as zero
      }
    }
    return longArResiduals;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
