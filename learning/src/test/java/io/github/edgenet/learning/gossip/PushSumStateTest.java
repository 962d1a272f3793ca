package io.github.edgenet.learning.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushSumStateTest {

  record InFlight(int from, int to, double[] sum, long counter) {}

  static NodeId id(int i) {
    byte[] b = new byte[32];
    b[0] = (byte) i;
    b[1] = (byte) (i >> 8);
    return NodeId.of(b);
  }

  /**
   * Thousands of seeded running-sum pushes with 30% loss, duplicates and reordering: after every
   * event, sum of masses plus unapplied link sums equals the initial total (exact invariant, to
   * rounding). Then, with a clean network, every estimate reaches the true average within 1e-6.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void runningSumsConserveMassUnderLossAndConvergeToTheTrueAverage(long seed) {
    System.out.println("PushSumStateTest seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    int n = 20, d = 3;
    PushSumState[] nodes = new PushSumState[n];
    double[] truth = new double[d];
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = (float) (r.nextGaussian() * 10);
        truth[j] += (double) v[j] / n;
      }
      nodes[i] = new PushSumState(v, 1.0, n);
    }
    List<InFlight> queue = new ArrayList<>();
    for (int step = 0; step < 5000; step++) {
      if (queue.isEmpty() || r.nextDouble() < 0.5) {
        int from = r.nextInt(n);
        int to = (from + 1 + r.nextInt(n - 1)) % n;
        double[] s = nodes[from].pushRunningSum(id(to), 0.5);
        double[] sum = java.util.Arrays.copyOf(s, d + 1);
        queue.add(new InFlight(from, to, sum, (long) s[d + 1]));
      } else {
        InFlight m = queue.remove(r.nextInt(queue.size())); // reordering
        double u = r.nextDouble();
        if (u < 0.3) {
          continue; // lost
        }
        nodes[m.to()].receiveRunningSum(id(m.from()), m.sum(), m.counter());
        if (u > 0.9) {
          assertFalse(nodes[m.to()].receiveRunningSum(id(m.from()), m.sum(), m.counter()),
              "a duplicate is not applied twice");
        }
      }
      assertConserved(nodes, truth, n, d);
    }
    // Clean rounds: every node pushes to its ring successor and a random peer, all delivered.
    for (int round = 0; round < 400; round++) {
      for (int i = 0; i < n; i++) {
        int[] targets = {(i + 1) % n, (i + 1 + r.nextInt(n - 1)) % n};
        for (int to : targets) {
          double[] s = nodes[i].pushRunningSum(id(to), 1.0 / 3);
          nodes[to].receiveRunningSum(id(i), java.util.Arrays.copyOf(s, d + 1), (long) s[d + 1]);
        }
      }
    }
    float[] est = new float[d];
    for (PushSumState node : nodes) {
      node.estimate(est);
      for (int j = 0; j < d; j++) {
        assertEquals(truth[j], est[j], 1e-6 * Math.max(1, Math.abs(truth[j])), "coordinate " + j);
      }
    }
  }

  private static void assertConserved(PushSumState[] nodes, double[] truth, int n, int d) {
    for (int j = 0; j <= d; j++) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        total += j == d ? nodes[i].weight() : nodes[i].sum(j);
        for (int k = 0; k < n; k++) {
          if (k != i) {
            total += nodes[i].unappliedTo(id(k), id(i), nodes[k], j);
          }
        }
      }
      double expected = j == d ? n : truth[j] * n;
      assertEquals(expected, total, 1e-9 * Math.max(1, Math.abs(expected)), "coordinate " + j);
    }
  }

  /** Classic push-sum conserves mass when nothing is lost, and loses it (biased) when it is. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 6})
  void plainPushSumConservesMassExactlyWithoutLossAndIsBiasedWithLoss(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int n = 16;
    PushSumState[] clean = new PushSumState[n];
    PushSumState[] lossy = new PushSumState[n];
    double truth = 0;
    for (int i = 0; i < n; i++) {
      float v = (float) (i * i);
      truth += (double) v / n;
      clean[i] = new PushSumState(new float[] {v}, 1.0, 1);
      lossy[i] = new PushSumState(new float[] {v}, 1.0, 1);
    }
    for (int step = 0; step < 3000; step++) {
      int from = r.nextInt(n);
      int to = (from + 1 + r.nextInt(n - 1)) % n;
      clean[to].receivePlain(clean[from].pushPlain(0.5));
      double[] share = lossy[from].pushPlain(0.5);
      if (r.nextDouble() >= 0.2) {
        lossy[to].receivePlain(share);
      }
      double w = 0;
      double s = 0;
      for (PushSumState c : clean) {
        w += c.weight();
        s += c.sum(0);
      }
      assertEquals(n, w, 1e-9);
      assertEquals(truth * n, s, 1e-9 * truth * n);
    }
    float[] e = new float[1];
    clean[0].estimate(e);
    assertEquals(truth, e[0], 1e-4 * truth);
    double lossyWeight = 0;
    for (PushSumState c : lossy) {
      lossyWeight += c.weight();
    }
    assertTrue(lossyWeight < 1e-3 * n, "20% loss drains the classic protocol's mass: "
        + lossyWeight);
  }

  @org.junit.jupiter.api.Test
  void validatesArguments() {
    PushSumState s = new PushSumState(new float[] {1f, 2f}, 2.0, 1);
    assertThrows(IllegalArgumentException.class, () -> s.pushPlain(1.0));
    assertThrows(IllegalArgumentException.class, () -> s.receivePlain(new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> s.receivePlain(new double[] {1, Double.NaN, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> new PushSumState(new float[] {Float.POSITIVE_INFINITY}, 1, 1));
    s.pushRunningSum(id(1), 0.5);
    assertThrows(IllegalStateException.class, () -> s.pushRunningSum(id(2), 0.5));
    float[] e = new float[2];
    s.estimate(e);
    assertEquals(1f, e[0]);
    assertEquals(1.0, s.weight(), 1e-12);
  }
}
