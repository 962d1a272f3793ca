package io.github.edgenet.learning.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI baselines' segment-tree test cases (baselines/common/tests/test_segment_tree.py). */
class SegmentTreeTest {

  @Test
  void treeSet() {
    SegmentTree tree = new SegmentTree(SegmentTree.Kind.SUM, 4);
    tree.set(2, 1.0);
    tree.set(3, 3.0);
    assertEquals(4.0, tree.sum());
    assertEquals(0.0, tree.reduce(0, 2));
    assertEquals(0.0, tree.reduce(0, 1));
    assertEquals(1.0, tree.reduce(2, 3));
    assertEquals(1.0, tree.reduce(2, -1));
    assertEquals(4.0, tree.reduce(2, 4));
  }

  @Test
  void treeSetOverlap() {
    SegmentTree tree = new SegmentTree(SegmentTree.Kind.SUM, 4);
    tree.set(2, 1.0);
    tree.set(2, 3.0);
    assertEquals(3.0, tree.sum());
    assertEquals(0.0, tree.reduce(0, 2));
    assertEquals(3.0, tree.reduce(2, 3));
    assertEquals(3.0, tree.reduce(2, -1));
    assertEquals(3.0, tree.reduce(2, 4));
    assertEquals(0.0, tree.reduce(1, 2));
  }

  @Test
  void prefixSumIndex() {
    SegmentTree tree = new SegmentTree(SegmentTree.Kind.SUM, 4);
    tree.set(2, 1.0);
    tree.set(3, 3.0);
    assertEquals(2, tree.findPrefixSum(0.0));
    assertEquals(2, tree.findPrefixSum(0.5));
    assertEquals(2, tree.findPrefixSum(0.99));
    assertEquals(3, tree.findPrefixSum(1.01));
    assertEquals(3, tree.findPrefixSum(3.00));
    assertEquals(3, tree.findPrefixSum(4.00));
  }

  @Test
  void prefixSumIndex2() {
    SegmentTree tree = new SegmentTree(SegmentTree.Kind.SUM, 4);
    tree.set(0, 0.5);
    tree.set(1, 1.0);
    tree.set(2, 1.0);
    tree.set(3, 3.0);
    assertEquals(0, tree.findPrefixSum(0.00));
    assertEquals(1, tree.findPrefixSum(0.55));
    assertEquals(1, tree.findPrefixSum(0.99));
    assertEquals(2, tree.findPrefixSum(1.51));
    assertEquals(3, tree.findPrefixSum(3.00));
    assertEquals(3, tree.findPrefixSum(5.50));
  }

  @Test
  void maxIntervalTreeAsMin() {
    SegmentTree tree = new SegmentTree(SegmentTree.Kind.MIN, 4);
    tree.set(0, 1.0);
    tree.set(2, 0.5);
    tree.set(3, 3.0);
    assertEquals(0.5, tree.min());
    assertEquals(1.0, tree.reduce(0, 2));
    assertEquals(0.5, tree.reduce(0, 3));
    assertEquals(0.5, tree.reduce(0, -1));
    assertEquals(0.5, tree.reduce(2, 4));
    assertEquals(3.0, tree.reduce(3, 4));
    tree.set(2, 0.7);
    assertEquals(0.7, tree.min());
    assertEquals(1.0, tree.reduce(0, 2));
    assertEquals(0.7, tree.reduce(0, 3));
    assertEquals(0.7, tree.reduce(0, -1));
    assertEquals(0.7, tree.reduce(2, 4));
    assertEquals(3.0, tree.reduce(3, 4));
    tree.set(2, 4.0);
    assertEquals(1.0, tree.min());
    assertEquals(1.0, tree.reduce(0, 2));
    assertEquals(1.0, tree.reduce(0, 3));
    assertEquals(1.0, tree.reduce(0, -1));
    assertEquals(3.0, tree.reduce(2, 4));
    assertEquals(4.0, tree.reduce(2, 3));
    assertEquals(4.0, tree.reduce(2, -1));
    assertEquals(3.0, tree.reduce(3, 4));
  }

  /** Thousands of random sets against naive sums and minima, for non-power-of-two capacities. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13})
  void randomOperationsMatchANaiveArray(long seed) {
    System.out.println("SegmentTreeTest seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    int n = 1 + r.nextInt(200);
    SegmentTree sum = new SegmentTree(SegmentTree.Kind.SUM, n);
    SegmentTree min = new SegmentTree(SegmentTree.Kind.MIN, n);
    double[] a = new double[n];
    double[] b = new double[n];
    java.util.Arrays.fill(b, Double.POSITIVE_INFINITY);
    for (int op = 0; op < 3000; op++) {
      int i = r.nextInt(n);
      double v = r.nextInt(100) / 8.0;
      sum.set(i, v);
      min.set(i, v);
      a[i] = v;
      b[i] = v;
      int s = r.nextInt(n + 1);
      int e = s + r.nextInt(n + 1 - s);
      double ns = 0;
      double nm = Double.POSITIVE_INFINITY;
      for (int k = s; k < e; k++) {
        ns += a[k];
        nm = Math.min(nm, b[k]);
      }
      assertEquals(ns, sum.reduce(s, e), 1e-9);
      assertEquals(nm, min.reduce(s, e));
      double total = sum.sum();
      if (total > 0) {
        double u = r.nextDouble() * total;
        int found = sum.findPrefixSum(u);
        assertEquals(true, sum.reduce(0, found) <= u + 1e-9 && a[found] > 0,
            "prefix " + u + " -> " + found);
        assertEquals(true, sum.reduce(0, found + 1) > u - 1e-9);
      }
    }
  }

  @Test
  void validates() {
    SegmentTree t = new SegmentTree(SegmentTree.Kind.SUM, 3);
    assertThrows(IllegalArgumentException.class, () -> t.set(0, -1));
    assertThrows(IllegalArgumentException.class, () -> t.set(0, Double.NaN));
    assertThrows(IndexOutOfBoundsException.class, () -> t.set(3, 1));
    assertThrows(IllegalStateException.class, t::min);
    assertThrows(IllegalArgumentException.class, () -> new SegmentTree(SegmentTree.Kind.MIN, 0));
    assertEquals(0.0, t.sum());
  }
}
