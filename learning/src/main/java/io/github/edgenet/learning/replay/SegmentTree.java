package io.github.edgenet.learning.replay;

import java.util.Arrays;

/**
 * A fixed-capacity array with O(log n) point updates and O(log n) range reductions: a sum tree
 * ({@link #sum()}) or a min tree ({@link #min()}), the two structures of prioritized replay
 * (Schaul et al. 2016). The sum tree also finds the slot at a prefix sum, the operation that
 * samples in proportion to the stored values. Values are doubles; unset slots hold the identity
 * (0 for sums, {@code +inf} for minima). The capacity is rounded up to a power of two internally.
 *
 * <p>Semantics match OpenAI baselines' {@code SumSegmentTree}/{@code MinSegmentTree}: {@code
 * reduce(start, end)} covers {@code [start, end)}, a negative {@code end} counts from the capacity,
 * and {@link #findPrefixSum} returns the highest index {@code i} with {@code sum(0, i) <= s}.
 *
 * <p>Not thread-safe; no operation allocates.
 */
public final class SegmentTree {
  /** Which reduction a tree computes. */
  public enum Kind {
    /** Sums; unset slots are 0. */
    SUM,
    /** Minima; unset slots are {@code +inf}. */
    MIN
  }

  private final Kind kind;
  private final int capacity;
  private final int leaves;
  private final double[] tree;
  private final double identity;

  /**
   * A tree of {@code capacity} slots, all unset.
   *
   * @param kind sum or min
   * @param capacity the slot count, in {@code [1, 2^29]}
   * @throws IllegalArgumentException if {@code capacity} is out of range
   */
  public SegmentTree(Kind kind, int capacity) {
    if (capacity < 1 || capacity > (1 << 29)) {
      throw new IllegalArgumentException("capacity must be in [1, 2^29], was " + capacity);
    }
    this.kind = kind;
    this.capacity = capacity;
    this.leaves = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
    this.identity = kind == Kind.SUM ? 0.0 : Double.POSITIVE_INFINITY;
    this.tree = new double[2 * leaves];
    Arrays.fill(tree, identity);
  }

  /**
   * The slot count given at construction.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Sets slot {@code index} to {@code value} and updates its ancestors: O(log n).
   *
   * @param index the slot, in {@code [0, capacity)}
   * @param value the value; for a sum tree finite and {@code >= 0}, for a min tree not NaN
   * @throws IllegalArgumentException if {@code value} is out of range
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public void set(int index, double value) {
    java.util.Objects.checkIndex(index, capacity);
    if (kind == Kind.SUM ? !(Double.isFinite(value) && value >= 0) : Double.isNaN(value)) {
      throw new IllegalArgumentException("value must be " + (kind == Kind.SUM
          ? "finite and >= 0" : "a number") + ", was " + value);
    }
    int i = index + leaves;
    tree[i] = value;
    for (i >>>= 1; i >= 1; i >>>= 1) {
      double l = tree[2 * i];
      double r = tree[2 * i + 1];
      tree[i] = kind == Kind.SUM ? l + r : Math.min(l, r);
    }
  }

  /**
   * The value at {@code index}.
   *
   * @param index the slot
   * @return its value (the identity if unset)
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public double get(int index) {
    java.util.Objects.checkIndex(index, capacity);
    return tree[index + leaves];
  }

  /**
   * The reduction over every slot: O(1).
   *
   * @return the sum (sum tree) or the minimum (min tree)
   */
  public double reduceAll() {
    return tree[1];
  }

  /**
   * The sum over every slot (sum trees only).
   *
   * @return the total
   * @throws IllegalStateException if this is a min tree
   */
  public double sum() {
    requireKind(Kind.SUM);
    return tree[1];
  }

  /**
   * The minimum over every slot (min trees only).
   *
   * @return the minimum, {@code +inf} if nothing is set
   * @throws IllegalStateException if this is a sum tree
   */
  public double min() {
    requireKind(Kind.MIN);
    return tree[1];
  }

  /**
   * The reduction over {@code [start, end)}; a negative {@code end} means {@code capacity + end}
   * (baselines' convention). O(log n).
   *
   * @param start the first slot
   * @param end one past the last slot, or negative from the end
   * @return the reduction (the identity for an empty range)
   * @throws IndexOutOfBoundsException if the range is not within {@code [0, capacity]}
   */
  public double reduce(int start, int end) {
    int e = end < 0 ? end + capacity : end;
    java.util.Objects.checkFromToIndex(start, e, capacity);
    double acc = identity;
    int lo = start + leaves;
    int hi = e + leaves;
    while (lo < hi) {
      if ((lo & 1) == 1) {
        acc = combine(acc, tree[lo++]);
      }
      if ((hi & 1) == 1) {
        acc = combine(acc, tree[--hi]);
      }
      lo >>>= 1;
      hi >>>= 1;
    }
    return acc;
  }

  /**
   * The highest index {@code i} such that {@code sum(0, i) <= prefixSum} (sum trees only), by one
   * descent: O(log n). With {@code prefixSum} uniform in {@code [0, sum())} this samples slot
   * {@code i} with probability {@code value(i) / sum()}.
   *
   * @param prefixSum in {@code [0, sum()]} (a small excess from rounding is tolerated)
   * @return the slot; may be an unset slot only if {@code prefixSum >= sum()}
   * @throws IllegalStateException if this is a min tree
   * @throws IllegalArgumentException if {@code prefixSum} is negative, NaN, or above the total by
   *     more than rounding
   */
  public int findPrefixSum(double prefixSum) {
    requireKind(Kind.SUM);
    if (!(prefixSum >= 0 && prefixSum <= tree[1] * (1 + 1e-9) + 1e-12)) {
      throw new IllegalArgumentException(
          "prefixSum must be in [0, " + tree[1] + "], was " + prefixSum);
    }
    int i = 1;
    double s = prefixSum;
    while (i < leaves) {
      double left = tree[2 * i];
      if (left > s) {
        i = 2 * i;
      } else {
        s -= left;
        i = 2 * i + 1;
      }
    }
    return Math.min(i - leaves, capacity - 1);
  }

  private double combine(double a, double b) {
    return kind == Kind.SUM ? a + b : Math.min(a, b);
  }

  private void requireKind(Kind k) {
    if (kind != k) {
      throw new IllegalStateException("this is a " + kind + " tree, not a " + k + " tree");
    }
  }

  @Override
  public String toString() {
    return "SegmentTree[" + kind + ", capacity " + capacity + ", total " + tree[1] + "]";
  }
}
