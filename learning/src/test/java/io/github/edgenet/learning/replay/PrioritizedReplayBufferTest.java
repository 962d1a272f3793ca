package io.github.edgenet.learning.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.Allocations;
import io.github.edgenet.core.testing.SeededCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PrioritizedReplayBufferTest {

  /**
   * 8 items with priorities 1..8 (alpha 0.7): 40,000 stratified draws match P(i) = p_i^alpha /
   * sum by a chi-squared test (7 degrees of freedom; 24.32 is the 0.001 critical value).
   */
  @Test
  void drawsFollowThePrioritiesByChiSquared() {
    double alpha = 0.7;
    PrioritizedReplayBuffer<Integer> buffer = PrioritizedReplayBuffer.<Integer>builder(8)
        .alpha(alpha).epsilon(1e-12).build();
    for (int i = 0; i < 8; i++) {
      int slot = buffer.add(i);
      buffer.updatePriority(slot, i + 1);
    }
    ReplayBatch<Integer> batch = buffer.newBatch(4);
    RandomSource r = RandomSource.seeded(2016);
    long[] counts = new long[8];
    int draws = 0;
    for (int s = 0; s < 10_000; s++) {
      buffer.sample(batch, r);
      for (int k = 0; k < batch.size(); k++) {
        assertEquals(batch.slot(k), (int) batch.item(k));
        counts[batch.slot(k)]++;
        draws++;
      }
    }
    double total = 0;
    for (int i = 0; i < 8; i++) {
      total += Math.pow(i + 1, alpha);
    }
    double chi2 = 0;
    for (int i = 0; i < 8; i++) {
      double expected = draws * Math.pow(i + 1, alpha) / total;
      chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
      assertEquals(Math.pow(i + 1, alpha) / total, buffer.probability(i), 1e-12);
    }
    System.out.println("chi-squared " + chi2 + " counts " + java.util.Arrays.toString(counts));
    assertTrue(chi2 < 24.32, "chi-squared " + chi2);
    // And the uniform hypothesis is rejected: the test has power.
    double chiUniform = 0;
    for (int i = 0; i < 8; i++) {
      double e = draws / 8.0;
      chiUniform += (counts[i] - e) * (counts[i] - e) / e;
    }
    assertTrue(chiUniform > 1000, "uniform chi-squared " + chiUniform);
  }

  @Test
  void importanceWeightsAreNormalizedByTheMaximumAndBetaAnneals() {
    PrioritizedReplayBuffer<String> buffer = PrioritizedReplayBuffer.<String>builder(4)
        .alpha(1).beta(0.5, 10).epsilon(1e-12).build();
    buffer.updatePriority(buffer.add("a"), 1);
    buffer.updatePriority(buffer.add("b"), 4);
    ReplayBatch<String> batch = buffer.newBatch(16);
    assertEquals(0.5, buffer.beta(), 1e-12);
    buffer.sample(batch, RandomSource.seeded(1));
    for (int k = 0; k < batch.size(); k++) {
      // w = (p / p_min)^-beta: a -> 1, b -> 4^-0.5 = 0.5
      float expected = batch.item(k).equals("a") ? 1f : 0.5f;
      assertEquals(expected, batch.weight(k), 1e-6f);
    }
    assertEquals(0.55, buffer.beta(), 1e-12);
    for (int i = 0; i < 20; i++) {
      buffer.sample(batch, RandomSource.seeded(i));
    }
    assertEquals(1.0, buffer.beta(), 1e-12);
  }

  @Test
  void newItemsEnterAtTheMaximumPriorityAndTheRingOverwrites() {
    PrioritizedReplayBuffer<Integer> buffer = PrioritizedReplayBuffer.<Integer>builder(3)
        .alpha(1).epsilon(1e-12).build();
    assertEquals(1.0, buffer.storedPriority(buffer.add(0)), 1e-9);
    buffer.updatePriority(0, 5);
    assertEquals(5.0, buffer.storedPriority(buffer.add(1)), 1e-9);
    buffer.updatePriority(1, 2);
    assertEquals(5.0, buffer.storedPriority(buffer.add(2)), 1e-9, "max seen, not current max");
    assertEquals(0, buffer.add(3), "the ring wraps to the oldest slot");
    assertEquals(3, buffer.size());
    assertThrows(IllegalArgumentException.class, () -> buffer.updatePriority(0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> buffer.updatePriority(3, 1));
    assertThrows(IllegalStateException.class, () -> PrioritizedReplayBuffer.<Integer>builder(2)
        .build().sample(buffer.newBatch(1), RandomSource.seeded(1)));
  }

  /**
   * The same test through a tree of four levels: 5,000 items, item {@code i} at priority {@code
   * (i mod 10) + 1}, alpha 0.7, 40,000 draws in batches of 32, counted per priority class (9
   * degrees of freedom; 27.88 is the 0.001 critical value).
   */
  @Test
  void drawsFollowThePrioritiesThroughADeepTree() {
    double alpha = 0.7;
    PrioritizedReplayBuffer<Integer> buffer = PrioritizedReplayBuffer.<Integer>builder(5000)
        .alpha(alpha).epsilon(1e-12).build();
    for (int i = 0; i < 5000; i++) {
      buffer.updatePriority(buffer.add(i), i % 10 + 1);
    }
    ReplayBatch<Integer> batch = buffer.newBatch(32);
    RandomSource r = RandomSource.seeded(2017);
    long[] counts = new long[10];
    for (int s = 0; s < 1250; s++) {
      buffer.sample(batch, r);
      for (int k = 0; k < batch.size(); k++) {
        assertEquals(batch.slot(k), (int) batch.item(k));
        counts[batch.slot(k) % 10]++;
      }
    }
    double total = 0;
    for (int c = 0; c < 10; c++) {
      total += Math.pow(c + 1, alpha);
    }
    double chi2 = 0;
    double chiUniform = 0;
    for (int c = 0; c < 10; c++) {
      double expected = 40_000 * Math.pow(c + 1, alpha) / total;
      chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
      chiUniform += (counts[c] - 4000.0) * (counts[c] - 4000.0) / 4000.0;
    }
    System.out.println("deep chi-squared " + chi2 + " counts " + java.util.Arrays.toString(counts));
    assertTrue(chi2 < 27.88, "chi-squared " + chi2);
    assertTrue(chiUniform > 1000, "uniform chi-squared " + chiUniform);
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(70, 4);
  }

  /**
   * Differential: with dyadic priorities (every sum exact in any order) the buffer draws exactly
   * the slots that a binary {@link SegmentTree} (baselines' layout, the first version of this
   * buffer) finds for the same stratified prefix sums, and weights {@code (p / p_min)^-beta}, over
   * a partly filled ring and thousands of updates.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void drawsExactlyWhatABinarySumTreeFinds(long seed) {
    RandomSource r = SeededCases.random("PrioritizedReplayBufferTest.binary", seed);
    int capacity = 100 + r.nextInt(3000);
    double eps = 1.0 / (1 << 20);
    PrioritizedReplayBuffer<Integer> buffer = PrioritizedReplayBuffer.<Integer>builder(capacity)
        .alpha(1).beta(0.5, 0).epsilon(eps).build();
    SegmentTree sums = new SegmentTree(SegmentTree.Kind.SUM, capacity);
    int filled = capacity / 2 + r.nextInt(capacity / 2);
    for (int i = 0; i < filled; i++) {
      buffer.add(i);
      sums.set(i, 1.0);
    }
    ReplayBatch<Integer> batch = buffer.newBatch(1 + r.nextInt(64));
    for (int round = 0; round < 300; round++) {
      for (int k = 0; k < 20; k++) {
        int slot = r.nextInt(filled);
        double p = r.nextInt(64) / 8.0;
        buffer.updatePriority(slot, p);
        sums.set(slot, p + eps);
      }
      long state = r.nextLong();
      buffer.sample(batch, RandomSource.seeded(state));
      RandomSource replay = RandomSource.seeded(state);
      double total = sums.sum();
      int probe = r.nextInt(filled);
      assertEquals(sums.get(probe), buffer.storedPriority(probe));
      assertEquals(sums.get(probe) / total, buffer.probability(probe));
      double segment = total / batch.capacity();
      double min = Double.POSITIVE_INFINITY;
      for (int i = 0; i < filled; i++) {
        min = Math.min(min, sums.get(i));
      }
      for (int k = 0; k < batch.size(); k++) {
        double u = Math.min((k + replay.nextDouble()) * segment, Math.nextDown(total));
        int expected = Math.min(sums.findPrefixSum(u), filled - 1);
        assertEquals(expected, batch.slot(k), "draw " + k + " at " + u);
        assertEquals((float) Math.pow(sums.get(expected) / min, -1.0), batch.weight(k));
      }
    }
  }

  /** No allocation per sample or update (HotSpot's per-thread allocation counter). */
  @Test
  void sampleAndUpdateAllocateNothing() {
    Allocations.assumeSupported();
    PrioritizedReplayBuffer<Integer> buffer = PrioritizedReplayBuffer.<Integer>builder(10_000)
        .build();
    Integer item = 7;
    for (int i = 0; i < 10_000; i++) {
      buffer.add(item);
    }
    ReplayBatch<Integer> batch = buffer.newBatch(32);
    RandomSource r = RandomSource.seeded(3);
    long bytes = Allocations.leastPerWindow(20, 2_000, () -> {
      buffer.sample(batch, r);
      for (int k = 0; k < batch.size(); k++) {
        buffer.updatePriority(batch.slot(k), r.nextDouble());
      }
      buffer.add(item);
    });
    assertEquals(0, bytes, "bytes allocated by 2,000 sample + 32 updates + add");
  }
}
