package io.github.edgenet.learning.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import org.junit.jupiter.api.Test;

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
}
