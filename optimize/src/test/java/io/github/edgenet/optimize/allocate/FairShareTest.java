package io.github.edgenet.optimize.allocate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.optimize.allocate.FairShare.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Weighted max-min fair shares against the continuous solution. */
class FairShareTest {
  @Test
  void aTextbookExample() {
    // 10 units, demands 2, 8, 8 with equal weights: 2, 4, 4.
    assertArrayEquals(new long[] {2, 4, 4}, FairShare.allocate(10, List.of(
        new Claim(2, 1, 0, 0), new Claim(8, 1, 0, 0), new Claim(8, 1, 0, 0))));
    // Weights 1 and 3 over 12 units, both unsatisfiable: 3 and 9.
    assertArrayEquals(new long[] {3, 9}, FairShare.allocate(12, List.of(
        new Claim(100, 1, 0, 0), new Claim(100, 3, 0, 0))));
  }

  @Test
  void guaranteesComeFirstThenPriorityLevelsInOrder() {
    long[] s = FairShare.allocate(10, List.of(
        new Claim(100, 1, 3, 0),   // low priority, guaranteed 3
        new Claim(5, 1, 0, 2),     // high priority: gets its whole demand
        new Claim(100, 1, 0, 1))); // middle: the rest
    assertArrayEquals(new long[] {3, 5, 2}, s);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FairShare.allocate(2,
        List.of(new Claim(5, 1, 3, 0)))).getMessage().contains("exceed capacity 2"));
  }

  /**
   * Reference: the continuous weighted max-min shares (guarantees, then each priority level
   * water-filled by solving for the level lambda again and again as claims saturate), in doubles.
   */
  static double[] continuous(long capacity, List<Claim> claims) {
    int n = claims.size();
    double[] s = new double[n];
    double left = capacity;
    for (int i = 0; i < n; i++) {
      s[i] = Math.min(claims.get(i).minimum(), claims.get(i).demand());
      left -= s[i];
    }
    for (int level = 2; level >= 0 && left > 0; level--) {
      boolean[] open = new boolean[n];
      for (int i = 0; i < n; i++) {
        open[i] = claims.get(i).priority() == level && s[i] < claims.get(i).demand();
      }
      while (true) {
        double w = 0;
        for (int i = 0; i < n; i++) {
          w += open[i] ? claims.get(i).weight() : 0;
        }
        if (w == 0) {
          break;
        }
        double lambda = left / w;
        boolean saturated = false;
        for (int i = 0; i < n; i++) {
          if (open[i] && claims.get(i).demand() - s[i] <= lambda * claims.get(i).weight()) {
            left -= claims.get(i).demand() - s[i];
            s[i] = claims.get(i).demand();
            open[i] = false;
            saturated = true;
          }
        }
        if (!saturated) {
          for (int i = 0; i < n; i++) {
            s[i] += open[i] ? lambda * claims.get(i).weight() : 0;
          }
          left = 0;
          break;
        }
      }
    }
    return s;
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(21, 4);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void withinOneUnitOfProgressiveFillingAndNeverAboveCapacity(long seed) {
    RandomSource r = SeededCases.random("FairShareTest", seed);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + r.nextInt(7);
      List<Claim> claims = new ArrayList<>();
      long minimums = 0;
      for (int i = 0; i < n; i++) {
        long min = r.nextDouble() < 0.3 ? r.nextInt(5) : 0;
        minimums += min;
        claims.add(new Claim(r.nextInt(60), 1 + r.nextInt(5), min, r.nextInt(3)));
      }
      long capacity = minimums + r.nextInt(150);
      long[] s = FairShare.allocate(capacity, claims);
      double[] ref = continuous(capacity, claims);
      long total = 0;
      String msg = "seed " + seed + " trial " + trial + " capacity " + capacity + " " + claims;
      for (int i = 0; i < n; i++) {
        total += s[i];
        assertTrue(s[i] <= claims.get(i).demand(), msg);
        assertTrue(s[i] >= Math.min(claims.get(i).minimum(), claims.get(i).demand()), msg);
        assertTrue(Math.abs(s[i] - ref[i]) < 1 + 1e-9,
            msg + ": " + s[i] + " vs exact " + ref[i]);
      }
      long demand = claims.stream().mapToLong(Claim::demand).sum();
      assertEquals(Math.min(capacity, demand), total, msg + ": work-conserving");
    }
  }

  @Test
  void hugeNumbersDoNotOverflow() {
    long big = 1L << 60;
    long[] s = FairShare.allocate(big, List.of(new Claim(big, 1L << 31, 0, 0),
        new Claim(big, 1, 0, 0)));
    assertEquals(big, s[0] + s[1]);
    assertTrue(s[0] > s[1] * 1000);
  }
}
