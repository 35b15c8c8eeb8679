package io.tracecast.evaluation.interval;

import java.util.Arrays;

/**
 * The most recent {@code capacity} residuals of a stream, kept sorted as they arrive, so that a
 * rolling (sequential split) conformal band costs one rank look-up per forecast rather than a
 * sort: the state an online forecaster keeps per (job, model, version, step, target). Adding a
 * residual to a full window drops the oldest one. The offsets are {@link SplitConformal}'s, on
 * the residuals in the window. Mutable: it lives inside one calibration pass, never in what
 * crosses a contract.
 */
public final class RollingResiduals {
  private final int capacity;
  /** Residuals in arrival order, a ring starting at {@link #oldest}. */
  private final double[] arrived;
  /** The same residuals, ascending, in the first {@link #count} slots. */
  private final double[] sorted;
  private int oldest;
  private int count;

  public RollingResiduals(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("rolling window must hold at least 1 residual, got "
          + capacity);
    }
    this.capacity = capacity;
    this.arrived = new double[capacity];
    this.sorted = new double[capacity];
  }

  /** Adds one residual ({@code actual - forecast}); a non-finite one is ignored. */
  public void add(double residual) {
    if (!Double.isFinite(residual)) {
      return;
    }
    if (count == capacity) {
      remove(arrived[oldest]);
      arrived[oldest] = residual;
      oldest = (oldest + 1) % capacity;
    } else {
      arrived[(oldest + count) % capacity] = residual;
    }
    int at = Arrays.binarySearch(sorted, 0, count, residual);
    at = at < 0 ? -at - 1 : at;
    System.arraycopy(sorted, at, sorted, at + 1, count - at);
    sorted[at] = residual;
    count++;
  }

  private void remove(double residual) {
    int at = Arrays.binarySearch(sorted, 0, count, residual);
    System.arraycopy(sorted, at + 1, sorted, at, count - at - 1);
    count--;
  }

  /** Whether the window holds {@code capacity} residuals. */
  public boolean full() {
    return count == capacity;
  }

  /** Residuals in the window. */
  public int size() {
    return count;
  }

  /** The smallest and largest residual in the window, or null when it is empty. */
  public double[] extremes() {
    return count == 0 ? null : new double[] {sorted[0], sorted[count - 1]};
  }

  /** {@link SplitConformal#offsets} of the residuals in the window, or null with too few. */
  public double[] offsets(double level) {
    return SplitConformal.offsetsOfSorted(sorted, count, level);
  }
}
