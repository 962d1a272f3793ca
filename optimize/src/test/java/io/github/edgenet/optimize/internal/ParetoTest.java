package io.github.edgenet.optimize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.optimize.search.Candidate;
import io.github.edgenet.optimize.search.Evaluation;
import io.github.edgenet.optimize.search.Scored;
import io.github.edgenet.optimize.search.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Non-dominated sorting and crowding distance against their definitions. */
class ParetoTest {
  static final Candidate C = SearchSpace.builder().choice("x", 0).build().candidate(0);

  static Scored s(double acc, double lat, long mem, double violation) {
    return new Scored(C, new Evaluation(acc, lat, mem), violation, 0);
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(1, 3);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void frontKIsWhatNothingInFrontsKOrLaterDominates(long seed) {
    RandomSource r = SeededCases.random("ParetoTest", seed);
    for (int trial = 0; trial < 200; trial++) {
      List<Scored> items = new ArrayList<>();
      int n = 1 + r.nextInt(40);
      for (int i = 0; i < n; i++) {
        items.add(s(r.nextInt(5) / 4.0, r.nextInt(5), r.nextInt(5),
            r.nextDouble() < 0.2 ? r.nextInt(3) + 0.5 : 0));
      }
      List<int[]> fronts = Pareto.fronts(items);
      boolean[] assigned = new boolean[n];
      int count = 0;
      for (int[] front : fronts) {
        for (int i : front) {
          // i is dominated by nothing not yet assigned to an earlier front ...
          for (int j = 0; j < n; j++) {
            assertTrue(assigned[j] || !Pareto.constrainedDominates(items.get(j), items.get(i)),
                "seed " + seed + " trial " + trial);
          }
        }
        for (int i : front) {
          assigned[i] = true;
          count++;
        }
        // ... and everything left unassigned is dominated by something in this or an earlier one.
      }
      assertEquals(n, count, "every item in exactly one front");
      for (int f = 1; f < fronts.size(); f++) {
        for (int i : fronts.get(f)) {
          boolean dominated = false;
          for (int j : fronts.get(f - 1)) {
            dominated |= Pareto.constrainedDominates(items.get(j), items.get(i));
          }
          assertTrue(dominated, "a member of front " + f + " is dominated by front " + (f - 1));
        }
      }
    }
  }

  @Test
  void feasibleBeatsInfeasibleAndSmallerViolationBeatsLarger() {
    assertTrue(Pareto.constrainedDominates(s(0.1, 9, 9, 0), s(0.9, 1, 1, 0.5)));
    assertTrue(Pareto.constrainedDominates(s(0.1, 9, 9, 0.1), s(0.9, 1, 1, 0.5)));
    assertTrue(!Pareto.constrainedDominates(s(0.5, 1, 1, 0), s(0.5, 1, 1, 0)));
  }

  @Test
  void crowdingDistanceOfAHandExample() {
    // One objective varies (accuracy 0, 0.25, 0.5, 1.0), the others are constant (their range
    // is 0 and adds nothing): interior distances are (next - previous) / (max - min).
    List<Scored> items = List.of(s(0, 1, 1, 0), s(0.25, 1, 1, 0), s(0.5, 1, 1, 0), s(1, 1, 1, 0));
    double[] d = Pareto.crowding(items, new int[] {0, 1, 2, 3});
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.5, 0.75,
        Double.POSITIVE_INFINITY}, d, 1e-12);
  }
}
