package io.github.edgenet.optimize.allocate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.optimize.allocate.DominantResourceFairness.Demand;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DRF: the worked example of Ghodsi et al. (NSDI 2011, section 4) and the four properties the
 * paper proves, checked on seeded random workloads (the seed is in every message).
 */
class DominantResourceFairnessTest {
  static final double EPS = 1e-9;

  @Test
  void thePapersWorkedExample() {
    // 9 CPUs, 18 GB; A's tasks need <1 CPU, 4 GB>, B's <3 CPUs, 1 GB>; both want as many as
    // possible. DRF gives A 3 tasks <3 CPUs, 12 GB> and B 2 tasks <6 CPUs, 2 GB>: both dominant
    // shares are 2/3.
    double[] x = DominantResourceFairness.allocate(new double[] {9, 18}, List.of(
        new Demand(new double[] {1, 4}, 1000, 1), new Demand(new double[] {3, 1}, 1000, 1)));
    assertArrayEquals(new double[] {3, 2}, x, 1e-12);
  }

  @Test
  void weightsScaleDominantShares() {
    // Weight 2 for B: equal dominant share per weight, s_A = s_B / 2, CPU saturates.
    double[] x = DominantResourceFairness.allocate(new double[] {9, 18}, List.of(
        new Demand(new double[] {1, 4}, 1000, 1), new Demand(new double[] {3, 1}, 1000, 2)));
    // A: x_A * 4/18 = (x_B * 3/9) / 2 and x_A + 3 x_B = 9 -> x_B = 2.4, x_A = 1.8
    assertArrayEquals(new double[] {1.8, 2.4}, x, 1e-9);
  }

  @Test
  void capsAndUsersWhoNeedNothingAreHonoured() {
    double[] x = DominantResourceFairness.allocate(new double[] {10, 10}, List.of(
        new Demand(new double[] {1, 1}, 2, 1), new Demand(new double[] {1, 0}, 100, 1),
        new Demand(new double[] {0, 0}, 5, 1), new Demand(new double[] {1, 1}, 0, 1)));
    assertArrayEquals(new double[] {2, 8, 5, 0}, x, 1e-9);
  }

  record Workload(double[] capacity, List<Demand> users) {}

  static Workload random(RandomSource r) {
    int rs = 1 + r.nextInt(3);
    double[] cap = new double[rs];
    for (int k = 0; k < rs; k++) {
      cap[k] = 1 + r.nextInt(100);
    }
    List<Demand> users = new ArrayList<>();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      double[] need = new double[rs];
      for (int k = 0; k < rs; k++) {
        need[k] = r.nextDouble() < 0.15 ? 0 : 0.1 + r.nextDouble() * 5;
      }
      double max = r.nextDouble() < 0.5 ? 1e6 : r.nextDouble() * 30;
      users.add(new Demand(need, max, 1));
    }
    return new Workload(cap, users);
  }

  /** The most tasks of {@code user} a bundle of resources holds (capped at its demand). */
  static double tasksFrom(Demand user, double[] bundle) {
    double t = user.maxTasks();
    double[] need = user.perTask();
    for (int k = 0; k < need.length; k++) {
      if (need[k] > 0) {
        t = Math.min(t, bundle[k] / need[k]);
      }
    }
    return t;
  }

  static double[] bundle(Demand user, double tasks) {
    double[] need = user.perTask();
    double[] b = new double[need.length];
    for (int k = 0; k < b.length; k++) {
      b[k] = need[k] * tasks;
    }
    return b;
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(11, 5);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theFourPropertiesHoldOnRandomWorkloads(long seed) {
    RandomSource r = SeededCases.random("DominantResourceFairnessTest", seed);
    for (int trial = 0; trial < 400; trial++) {
      Workload w = random(r);
      String msg = "seed " + seed + " trial " + trial;
      int n = w.users().size();
      int rs = w.capacity().length;
      double[] x = DominantResourceFairness.allocate(w.capacity(), w.users());
      double[] used = new double[rs];
      for (int i = 0; i < n; i++) {
        assertTrue(x[i] >= 0 && x[i] <= w.users().get(i).maxTasks() + EPS, msg);
        double[] b = bundle(w.users().get(i), x[i]);
        for (int k = 0; k < rs; k++) {
          used[k] += b[k];
        }
      }
      // Never above capacity (exactly, not within a tolerance).
      for (int k = 0; k < rs; k++) {
        assertTrue(used[k] <= w.capacity()[k], msg + ": resource " + k + " " + used[k]);
      }
      for (int i = 0; i < n; i++) {
        Demand u = w.users().get(i);
        // Sharing incentive: at least what 1/n of every resource gives.
        double[] equal = new double[rs];
        for (int k = 0; k < rs; k++) {
          equal[k] = w.capacity()[k] / n;
        }
        assertTrue(x[i] >= tasksFrom(u, equal) * (1 - 1e-9) - EPS, msg + " sharing, user " + i);
        // Envy-freeness: nobody else's bundle would run more of i's tasks.
        for (int j = 0; j < n; j++) {
          double other = tasksFrom(u, bundle(w.users().get(j), x[j]));
          assertTrue(other <= x[i] * (1 + 1e-9) + EPS, msg + " user " + i + " envies " + j);
        }
        // Pareto efficiency: i is at its demand, or a resource it needs is exhausted.
        boolean capped = x[i] >= u.maxTasks() * (1 - 1e-9) - EPS;
        boolean blocked = false;
        double[] need = u.perTask();
        for (int k = 0; k < rs; k++) {
          blocked |= need[k] > 0 && used[k] >= w.capacity()[k] * (1 - 1e-9);
        }
        assertTrue(capped || blocked, msg + ": user " + i + " could get more for free");
      }
      // Strategy-proofness: a user reporting another demand vector never runs more true tasks.
      int liar = r.nextInt(n);
      Demand truth = w.users().get(liar);
      for (int lie = 0; lie < 5; lie++) {
        double[] claimed = truth.perTask();
        for (int k = 0; k < rs; k++) {
          claimed[k] = claimed[k] * (0.2 + 2 * r.nextDouble()) + (r.nextDouble() < 0.2 ? 1 : 0);
        }
        List<Demand> reported = new ArrayList<>(w.users());
        reported.set(liar, new Demand(claimed, 1e6, 1));
        double[] y = DominantResourceFairness.allocate(w.capacity(), reported);
        double useful = tasksFrom(truth, bundle(reported.get(liar), y[liar]));
        assertTrue(useful <= x[liar] * (1 + 1e-9) + EPS,
            msg + ": lying " + java.util.Arrays.toString(claimed) + " gave " + useful + " > "
                + x[liar]);
      }
    }
  }

  @Test
  void misuseIsRejected() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new Demand(new double[] {-1}, 1, 1)).getMessage().contains("perTask[0]"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> DominantResourceFairness.allocate(new double[] {1, 2},
            List.of(new Demand(new double[] {1}, 1, 1)))).getMessage()
        .contains("user 0 needs 1 resources, capacity has 2"));
    assertEquals(0, DominantResourceFairness.allocate(new double[] {0},
        List.of(new Demand(new double[] {1}, 5, 1)))[0]);
  }
}
