package io.github.edgenet.swarm.allocation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 20 workers of hidden speeds, 5,000 tasks: Thompson sampling against uniform random and greedy
 * allocation. Regret of a task is the expected time to a success of the chosen worker minus the
 * best worker's.
 */
class AllocationSimulationTest {
  static final int WORKERS = 20;
  static final int TASKS = 5_000;

  enum Policy { THOMPSON, UNIFORM, GREEDY }

  /** Result of one run: cumulative regret at each task, and the share of the most chosen worker. */
  record Run(double[] regret, int mostChosen, double mostChosenShare, int best) {}

  static Run run(Policy policy, long seed) {
    RandomSource world = RandomSource.seeded(seed).derive("world");
    RandomSource choice = RandomSource.seeded(seed).derive("choice");
    double[] mean = new double[WORKERS];
    double[] pSuccess = new double[WORKERS];
    List<NodeId> ids = new ArrayList<>();
    int best = 0;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int i = 0; i < WORKERS; i++) {
      mean[i] = 0.5 + 2.5 * world.nextDouble(); // seconds
      pSuccess[i] = 0.7 + 0.3 * world.nextDouble();
      ids.add(TestEnvelopes.id(1000 + i));
      if (mean[i] / pSuccess[i] < bestCost) {
        bestCost = mean[i] / pSuccess[i];
        best = i;
      }
    }
    TaskAllocator a = TaskAllocator.builder(TestEnvelopes.id(0))
        .latencyPrior(new NormalGamma(1, 1, 1, 1)).build();
    double[] regret = new double[TASKS];
    int[] chosen = new int[WORKERS];
    double total = 0;
    for (int t = 0; t < TASKS; t++) {
      NodeId pick = switch (policy) {
        case THOMPSON -> a.chooseThompson("infer", ids, choice);
        case UNIFORM -> ids.get(choice.nextInt(WORKERS));
        case GREEDY -> a.chooseGreedy("infer", ids);
      };
      int w = ids.indexOf(pick);
      chosen[w]++;
      double latency = Math.max(0, mean[w] + 0.4 * mean[w] * world.nextGaussian());
      boolean ok = world.nextDouble() < pSuccess[w];
      a.record(t, pick, "infer", latency, ok);
      total += mean[w] / pSuccess[w] - bestCost;
      regret[t] = total;
    }
    int most = 0;
    for (int i = 1; i < WORKERS; i++) {
      if (chosen[i] > chosen[most]) {
        most = i;
      }
    }
    return new Run(regret, most, chosen[most] / (double) TASKS, best);
  }

  @Test
  void thompsonRegretIsSublinearAndFarBelowUniformAndGreedyGetsStuck() {
    double ts = 0;
    double uni = 0;
    double greedy = 0;
    int greedyStuck = 0;
    int seeds = 10;
    for (long seed = 1; seed <= seeds; seed++) {
      Run t = run(Policy.THOMPSON, seed);
      Run u = run(Policy.UNIFORM, seed);
      Run g = run(Policy.GREEDY, seed);
      double half = t.regret()[TASKS / 2 - 1];
      double full = t.regret()[TASKS - 1];
      System.out.printf("seed %d: regret thompson %.1f (half %.1f), uniform %.1f, greedy %.1f"
              + " (greedy's favourite %d with %.0f%%, best %d)%n",
          seed, full, half, u.regret()[TASKS - 1], g.regret()[TASKS - 1], g.mostChosen(),
          100 * g.mostChosenShare(), g.best());
      // Sublinear: the second half of the tasks adds less than half of the first half's regret.
      assertTrue(full - half < 0.5 * half, "seed " + seed + ": regret not sublinear, " + half + " -> " + full);
      ts += full;
      uni += u.regret()[TASKS - 1];
      greedy += g.regret()[TASKS - 1];
      if (g.mostChosen() != g.best() && g.mostChosenShare() > 0.5) {
        greedyStuck++;
      }
    }
    System.out.printf("mean regret over %d seeds: thompson %.1f, uniform %.1f, greedy %.1f;"
        + " greedy stuck on a worse worker in %d seeds%n", seeds, ts / seeds, uni / seeds,
        greedy / seeds, greedyStuck);
    assertTrue(3 * ts < uni, "Thompson regret " + ts + " not 3x below uniform " + uni);
    assertTrue(greedy > ts, "greedy " + greedy + " beat Thompson " + ts);
    assertTrue(greedyStuck >= 1, "greedy never got stuck on a worse worker");
  }
}
