package io.tracecast.autoscale.replay;

/**
 * A binary tree of non-negative values whose inner nodes hold the sums of their children, so
 * that setting a leaf and finding the leaf where a running sum crosses a value both take
 * O(log n) (Schaul et al. 2016, appendix B.2.1).
 */
final class SumTree {
  private final int leaves;
  private final double[] node;

  SumTree(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    int n = 1;
    while (n < capacity) {
      n <<= 1;
    }
    leaves = n;
    node = new double[2 * n];
  }

  void set(int index, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException("priority must be finite and >= 0, got " + value);
    }
    int i = index + leaves;
    node[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) {
      node[i] = node[2 * i] + node[2 * i + 1];
    }
  }

  double get(int index) {
    return node[index + leaves];
  }

  double total() {
    return node[1];
  }

  /** The leaf whose cumulative range [sum before it, sum through it) holds {@code mass}. */
  int find(double mass) {
    int i = 1;
    while (i < leaves) {
      int left = 2 * i;
      if (mass < node[left] || node[left + 1] == 0) {
        i = left;
      } else {
        mass -= node[left];
        i = left + 1;
      }
    }
    return i - leaves;
  }
}
