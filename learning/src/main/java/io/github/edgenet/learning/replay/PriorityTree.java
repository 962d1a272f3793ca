package io.github.edgenet.learning.replay;

import java.util.Arrays;

/**
 * The sum tree and the min tree of {@link PrioritizedReplayBuffer} in one cache-conscious
 * structure: an 8-ary tree (8 doubles are one 64-byte cache line) whose leaves are shared by both
 * reductions, and whose internal levels interleave, per group of 8 siblings, their 8 sums and then
 * their 8 minima. At capacity 2^20 a leaf-to-root path is 7 groups instead of 20 levels of each of
 * two binary trees, and a descent reads 7 lines instead of 20.
 *
 * <p>Values are positive doubles; 0 marks an empty slot (it adds nothing to a sum and is skipped by
 * the minimum, so the buffer's unfilled slots need no second identity). Every internal value is
 * recomputed from its 8 children in a fixed order on each update, never adjusted by a difference:
 * the tree is a pure function of its leaves (no drift however many updates), which {@code
 * PriorityTreeTest} checks bit for bit.
 *
 * <p>{@link #find} has the semantics of OpenAI baselines' {@code find_prefixsum_idx} and {@link
 * SegmentTree#findPrefixSum}: the highest slot {@code i} with {@code sum(0, i) <= prefixSum}, which
 * samples slot {@code i} with probability {@code value(i) / sum()} for a uniform prefix sum. {@link
 * #findAll} runs several descents level by level, so that their cache misses overlap.
 *
 * <p>Not thread-safe; nothing allocates after construction.
 */
final class PriorityTree {
  private static final int FAN = 8;
  private static final int SHIFT = 3;

  private final int capacity;
  /** Leaf values, {@code capacity} rounded up to a multiple of 8. */
  private final double[] leaves;
  /**
   * {@code levels[0]} sits above the leaves; {@code levels[k]} holds, per group {@code g} of 8
   * entries, their sums at {@code [16g, 16g + 8)} and their minima at {@code [16g + 8, 16g + 16)}.
   * The last level is one group, the root's children.
   */
  private final double[][] levels;
  /**
   * Real entries of each level (the group count of the level below): a descent scans only real
   * children, so a prefix sum at or above a subtree's total ends in its last real child, as in
   * baselines (the highest index), never in padding.
   */
  private final int[] entries;
  private double total;
  private double min = Double.POSITIVE_INFINITY;

  PriorityTree(int capacity) {
    if (capacity < 1 || capacity > (1 << 29)) {
      throw new IllegalArgumentException("capacity must be in [1, 2^29], was " + capacity);
    }
    this.capacity = capacity;
    int groups = ceilDiv(capacity, FAN);
    this.leaves = new double[groups * FAN];
    int depth = 0;
    for (int n = groups; n > 1; n = ceilDiv(n, FAN)) {
      depth++;
    }
    this.levels = new double[Math.max(depth, 1)][];
    this.entries = new int[levels.length];
    int n = groups;
    for (int k = 0; k < levels.length; k++) {
      int g = ceilDiv(n, FAN);
      entries[k] = n;
      levels[k] = new double[g * 2 * FAN];
      for (int i = 0; i < g; i++) {
        Arrays.fill(levels[k], 2 * FAN * i + FAN, 2 * FAN * (i + 1), Double.POSITIVE_INFINITY);
      }
      n = g;
    }
  }

  int capacity() {
    return capacity;
  }

  /** The value of a slot, 0 if empty. */
  double get(int slot) {
    return leaves[slot];
  }

  /** The sum of every value: O(1). */
  double sum() {
    return total;
  }

  /** The smallest positive value, {@code +inf} if every slot is empty: O(1). */
  double min() {
    return min;
  }

  /**
   * Sets a slot and recomputes its 7-or-so ancestors' sums and minima from their children.
   *
   * @param slot in {@code [0, capacity)}, checked by the caller
   * @param value positive and finite, or 0 to empty the slot
   */
  void set(int slot, double value) {
    double[] below = leaves;
    below[slot] = value;
    // The leaf group: sums and minima of 8 consecutive leaves (0 is empty for the minimum).
    int base = slot & -FAN;
    double a0 = below[base];
    double a1 = below[base + 1];
    double a2 = below[base + 2];
    double a3 = below[base + 3];
    double a4 = below[base + 4];
    double a5 = below[base + 5];
    double a6 = below[base + 6];
    double a7 = below[base + 7];
    double s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    double m = Math.min(Math.min(Math.min(leafMin(a0), leafMin(a1)),
        Math.min(leafMin(a2), leafMin(a3))), Math.min(Math.min(leafMin(a4), leafMin(a5)),
        Math.min(leafMin(a6), leafMin(a7))));
    int entry = slot >>> SHIFT;
    for (double[] level : levels) {
      int g = (entry >>> SHIFT) * 2 * FAN;
      int j = entry & (FAN - 1);
      level[g + j] = s;
      level[g + FAN + j] = m;
      s = ((level[g] + level[g + 1]) + (level[g + 2] + level[g + 3]))
          + ((level[g + 4] + level[g + 5]) + (level[g + 6] + level[g + 7]));
      m = Math.min(Math.min(Math.min(level[g + 8], level[g + 9]),
          Math.min(level[g + 10], level[g + 11])), Math.min(Math.min(level[g + 12], level[g + 13]),
          Math.min(level[g + 14], level[g + 15])));
      entry >>>= SHIFT;
    }
    total = s;
    min = m;
  }

  private static double leafMin(double v) {
    return v > 0 ? v : Double.POSITIVE_INFINITY;
  }

  /**
   * The highest slot {@code i} with {@code sum(0, i) <= prefixSum} (the last slot if {@code
   * prefixSum >= sum()}): one descent, O(log_8 n).
   *
   * @param prefixSum in {@code [0, sum()]}, checked by the caller
   * @return the slot
   */
  int find(double prefixSum) {
    int node = 0;
    double s = prefixSum;
    for (int k = levels.length - 1; k >= 0; k--) {
      double[] level = levels[k];
      int first = node * FAN;
      int n = Math.min(FAN, entries[k] - first) - 1; // the real children but the last
      int g = 2 * first;
      double p = 0;
      double sub = 0;
      int j = 0;
      for (int t = 0; t < n; t++) {
        p += level[g + t];
        if (p <= s) {
          sub = p;
          j++;
        }
      }
      s -= sub;
      node = first + j;
    }
    return leafFind(node, s);
  }

  /** The slot under leaf group {@code node} for what remains of the prefix sum. */
  private int leafFind(int node, double s) {
    int g = node * FAN;
    int n = Math.min(FAN, capacity - g) - 1;
    double p = 0;
    int j = 0;
    for (int t = 0; t < n; t++) {
      p += leaves[g + t];
      if (p <= s) {
        j++;
      }
    }
    return g + j;
  }

  /**
   * {@link #find} for {@code count} prefix sums at once, level by level: the descents are
   * independent, so their memory accesses overlap instead of waiting for each other.
   *
   * @param prefixSums the prefix sums; overwritten with what remains of each at the leaves
   * @param slots receives the slots
   * @param count how many, at most the arrays' length
   */
  void findAll(double[] prefixSums, int[] slots, int count) {
    Arrays.fill(slots, 0, count, 0);
    for (int k = levels.length - 1; k >= 0; k--) {
      double[] level = levels[k];
      int real = entries[k];
      for (int d = 0; d < count; d++) {
        int first = slots[d] * FAN;
        int n = Math.min(FAN, real - first) - 1;
        int g = 2 * first;
        double s = prefixSums[d];
        double p = 0;
        double sub = 0;
        int j = 0;
        for (int t = 0; t < n; t++) {
          p += level[g + t];
          if (p <= s) {
            sub = p;
            j++;
          }
        }
        prefixSums[d] = s - sub;
        slots[d] = first + j;
      }
    }
    for (int d = 0; d < count; d++) {
      slots[d] = leafFind(slots[d], prefixSums[d]);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
