package io.github.edgenet.learning.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replay buffer's 8-ary sum-and-min tree: OpenAI baselines' segment-tree cases, a differential
 * test against a plain array over thousands of seeded operations at capacities that need one to
 * four levels, and the no-drift property (the tree is a function of its leaves only).
 */
class PriorityTreeTest {

  static Stream<Long> seeds() {
    return SeededCases.seeds(90, 6);
  }

  /** baselines' test_prefixsum_idx: capacity 4, [2] = 1, [3] = 3. */
  @Test
  void baselinesPrefixSumIndex() {
    PriorityTree tree = new PriorityTree(4);
    tree.set(2, 1.0);
    tree.set(3, 3.0);
    assertEquals(4.0, tree.sum());
    assertEquals(2, tree.find(0.0));
    assertEquals(2, tree.find(0.5));
    assertEquals(2, tree.find(0.99));
    assertEquals(3, tree.find(1.01));
    assertEquals(3, tree.find(3.00));
    assertEquals(3, tree.find(4.00));
  }

  /** baselines' test_prefixsum_idx2: capacity 4, [0.5, 1, 1, 3]. */
  @Test
  void baselinesPrefixSumIndex2() {
    PriorityTree tree = new PriorityTree(4);
    tree.set(0, 0.5);
    tree.set(1, 1.0);
    tree.set(2, 1.0);
    tree.set(3, 3.0);
    assertEquals(0, tree.find(0.00));
    assertEquals(1, tree.find(0.55));
    assertEquals(1, tree.find(0.99));
    assertEquals(2, tree.find(1.51));
    assertEquals(3, tree.find(3.00));
    assertEquals(3, tree.find(5.50));
    double[] u = {0.00, 0.55, 0.99, 1.51, 3.00, 5.50};
    int[] slots = new int[u.length];
    tree.findAll(u, slots, u.length);
    assertEquals("[0, 1, 1, 2, 3, 3]", Arrays.toString(slots));
  }

  /** baselines' test_max_interval_tree as a min tree (its whole-range cases; 0 is empty). */
  @Test
  void baselinesMinTree() {
    PriorityTree tree = new PriorityTree(4);
    assertEquals(Double.POSITIVE_INFINITY, tree.min());
    tree.set(0, 1.0);
    tree.set(2, 0.5);
    tree.set(3, 3.0);
    assertEquals(0.5, tree.min());
    tree.set(2, 0.7);
    assertEquals(0.7, tree.min());
    tree.set(2, 4.0);
    assertEquals(1.0, tree.min());
    tree.set(0, 0.0); // emptied: no longer counts
    assertEquals(3.0, tree.min());
  }

  /**
   * Random sets (dyadic values, so every sum is exact, and zeros that empty a slot) against a plain
   * array: the sum, the minimum, and {@code find} is the highest {@code i} with {@code sum(0, i) <=
   * u} at a non-empty slot; {@code findAll} agrees with {@code find} draw by draw.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void matchesAPlainArray(long seed) {
    RandomSource r = SeededCases.random("PriorityTreeTest.matchesAPlainArray", seed);
    int capacity = new int[] {1, 7, 8, 9, 64, 65, 513, 4096, 5000}[r.nextInt(9)] + r.nextInt(3);
    PriorityTree tree = new PriorityTree(capacity);
    double[] a = new double[capacity];
    double[] u = new double[16];
    int[] slots = new int[16];
    for (int op = 0; op < 4000; op++) {
      int i = r.nextInt(capacity);
      double v = r.nextInt(5) == 0 ? 0.0 : (1 + r.nextInt(400)) / 16.0;
      tree.set(i, v);
      a[i] = v;
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      for (double x : a) {
        sum += x;
        min = x > 0 ? Math.min(min, x) : min;
      }
      assertEquals(sum, tree.sum(), "sum after op " + op);
      assertEquals(min, tree.min(), "min after op " + op);
      assertEquals(v, tree.get(i));
      if (sum == 0) {
        continue;
      }
      for (int k = 0; k < u.length; k++) {
        u[k] = r.nextInt(8) == 0 ? r.nextInt((int) sum + 1) : r.nextDouble() * sum;
      }
      double[] copy = u.clone();
      tree.findAll(copy, slots, u.length);
      for (int k = 0; k < u.length; k++) {
        int found = tree.find(u[k]);
        assertEquals(found, slots[k], "findAll vs find at " + u[k]);
        double before = 0;
        for (int t = 0; t < found; t++) {
          before += a[t];
        }
        assertTrue(before <= u[k], "sum(0, " + found + ") = " + before + " > " + u[k]);
        if (u[k] < sum) {
          assertTrue(a[found] > 0 && before + a[found] > u[k], "slot " + found + " for " + u[k]);
        } else {
          assertEquals(lastNonEmptyOrEnd(a), found, "a prefix sum at the total");
        }
      }
    }
  }

  private static int lastNonEmptyOrEnd(double[] a) {
    // baselines' rule at u = total: the highest i with sum(0, i) <= total, i.e. the last slot
    return a.length - 1;
  }

  /**
   * No drift: after 200,000 random updates of non-dyadic values, the tree equals bit for bit a
   * fresh tree given only the final leaves, and its total is within 8 ulps of the exact sum.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void isAFunctionOfItsLeavesOnly(long seed) {
    RandomSource r = SeededCases.random("PriorityTreeTest.isAFunctionOfItsLeavesOnly", seed);
    int capacity = 3000 + r.nextInt(3000);
    PriorityTree churned = new PriorityTree(capacity);
    double[] a = new double[capacity];
    for (int op = 0; op < 200_000; op++) {
      int i = r.nextInt(capacity);
      a[i] = Math.pow(r.nextDouble() * 10 + 1e-6, 0.6) * (r.nextInt(100) == 0 ? 1e6 : 1);
      churned.set(i, a[i]);
    }
    PriorityTree fresh = new PriorityTree(capacity);
    BigDecimal exact = BigDecimal.ZERO;
    for (int i = 0; i < capacity; i++) {
      fresh.set(i, a[i]);
      exact = exact.add(new BigDecimal(a[i]));
    }
    assertEquals(Double.doubleToRawLongBits(fresh.sum()),
        Double.doubleToRawLongBits(churned.sum()));
    assertEquals(fresh.min(), churned.min());
    double error = Math.abs(exact.subtract(new BigDecimal(churned.sum())).doubleValue());
    assertTrue(error <= 8 * Math.ulp(churned.sum()), "total off by " + error);
    for (int k = 0; k < 1000; k++) {
      double u = r.nextDouble() * fresh.sum();
      assertEquals(fresh.find(u), churned.find(u));
    }
  }
}
