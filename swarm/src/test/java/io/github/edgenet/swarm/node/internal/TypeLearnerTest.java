package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.Allocations;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.swarm.node.DigitsTasks;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.node.TaskObjective;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * One learned type on one node: replay recomputes every gradient at the current weights, the
 * learning path allocates nothing, EWC consolidates exactly at a shift of the embeddings and
 * halves the forgetting of the earlier digits, a round's aggregate becomes a frozen version.
 */
class TypeLearnerTest {
  static final DigitsTasks DIGITS = DigitsTasks.create(5);

  private static TypeLearner learner(LearningConfig config, long seed) {
    return new TypeLearner(DigitsTasks.TYPE, DIGITS.objective(), DigitsTasks.DIM, 8, config,
        RandomSource.seeded(seed));
  }

  private static byte[] label(int i) {
    return new byte[] {(byte) DIGITS.trainLabel(i)};
  }

  @Test
  void everyReplayedGradientIsComputedAtTheCurrentWeights() {
    // the payload names the sample; the objective checks it sees e + working(e) right now
    TypeLearner[] holder = new TypeLearner[1];
    TaskObjective inner = DIGITS.objective();
    int[] calls = new int[1];
    int[] stale = new int[1];
    float[][] firstAdapted = new float[200][];
    int[] fresh = new int[1];
    TaskObjective checking = (payload, adapted, gradient) -> {
      int i = (payload[0] & 0xff) << 8 | payload[1] & 0xff;
      float[] e = DIGITS.trainEmbedding(i);
      float[] expected = e.clone();
      holder[0].working().forward(e, expected);
      calls[0]++;
      if (!Arrays.equals(expected, adapted)) {
        stale[0]++;
      }
      if (firstAdapted[i] == null) {
        firstAdapted[i] = adapted.clone();
      } else if (!Arrays.equals(firstAdapted[i], adapted)) {
        fresh[0]++; // replayed after the weights moved
      }
      return inner.loss(new byte[] {(byte) DIGITS.trainLabel(i)}, adapted, gradient);
    };
    LearningConfig config = LearningConfig.builder().replay(8, 2).build();
    TypeLearner l = new TypeLearner(DigitsTasks.TYPE, checking, DigitsTasks.DIM, 8, config,
        RandomSource.seeded(1));
    holder[0] = l;
    for (int i = 0; i < 200; i++) {
      l.learn(DIGITS.trainEmbedding(i), new byte[] {(byte) (i >> 8), (byte) i});
    }
    assertEquals(0, stale[0], "gradients from stale weights");
    // 200 new samples, then 2 replay steps of 8 once the buffer holds 8 (from the 8th on)
    assertEquals(200 + 2 * 8 * (200 - 7), calls[0]);
    assertEquals(200, l.trained);
    assertEquals(2 * 8 * (200 - 7), l.replayed);
    assertTrue(fresh[0] > 1000, "replays saw moved weights " + fresh[0] + " times");
  }

  @Test
  void learningAllocatesNothingBeyondThePayloadItKeeps() {
    Allocations.assumeSupported();
    // no shift window ends while measured (its boundary copies the weights through two views)
    LearningConfig config = LearningConfig.builder().shiftTest(1 << 16, 1.5).build();
    TypeLearner l = learner(config, 2);
    float[][] e = new float[64][];
    byte[][] p = new byte[64][];
    for (int i = 0; i < 64; i++) {
      e[i] = DIGITS.trainEmbedding(i);
      p[i] = label(i);
    }
    int[] k = new int[1];
    Runnable one = () -> {
      int i = k[0]++ & 63;
      l.learn(e[i], p[i]);
    };
    for (int i = 0; i < 3000; i++) {
      one.run(); // warm up, fill the replay buffer
    }
    long bytes = Allocations.leastPerWindow(10, 200, one);
    assertEquals(0, bytes, "bytes allocated by 200 learning steps (each with 4 replay steps)");
  }

  /** Trains on digits 0-4, then on 5-9; returns {forgetting of 0-4, accuracy on 5-9}. */
  private static double[] twoTasks(LearningConfig config, long seed, long[] consolidationsAt) {
    TypeLearner l = learner(config, seed);
    int[] low = DIGITS.trainWhere(y -> y < 5);
    int[] high = DIGITS.trainWhere(y -> y >= 5);
    RandomSource r = RandomSource.seeded(seed + 100);
    for (int n = 0; n < 640; n++) {
      int i = low[r.nextInt(low.length)];
      l.learn(DIGITS.trainEmbedding(i), label(i));
    }
    consolidationsAt[0] = l.consolidations;
    MicroLora afterA = l.working().snapshot();
    double a = DIGITS.accuracy(afterA, y -> y < 5);
    for (int n = 0; n < 640; n++) {
      int i = high[r.nextInt(high.length)];
      l.learn(DIGITS.trainEmbedding(i), label(i));
      if (n == 63) {
        consolidationsAt[1] = l.consolidations; // the first window of 5-9 has just ended
      }
    }
    consolidationsAt[2] = l.consolidations;
    consolidationsAt[3] = l.ewcAnchors();
    return new double[] {a - DIGITS.accuracy(l.working(), y -> y < 5),
        DIGITS.accuracy(l.working(), y -> y >= 5)};
  }

  @Test
  void ewcConsolidatesAtTheShiftAndHalvesTheForgettingOfTheEarlierDigits() {
    // a replay buffer too small to keep the earlier digits: replay alone forgets them
    LearningConfig plain = LearningConfig.builder().replayCapacity(128).build();
    LearningConfig ewc = LearningConfig.builder().replayCapacity(128).ewc(10f, 0.9f).build();
    double forgotPlain = 0;
    double forgotEwc = 0;
    double newPlain = 0;
    double newEwc = 0;
    int seeds = 6;
    for (long seed = 1; seed <= seeds; seed++) {
      long[] at = new long[4];
      double[] p = twoTasks(plain, seed, at);
      assertEquals(0, at[2], "no EWC, no consolidation");
      double[] e = twoTasks(ewc, seed, at);
      assertEquals(0, at[0], "no shift within digits 0-4: no consolidation (seed " + seed + ")");
      assertEquals(1, at[1], "consolidated when the first window of 5-9 ended (seed " + seed + ")");
      assertEquals(1, at[2], "once (seed " + seed + ")");
      assertEquals(1, at[3], "online EWC keeps one anchor");
      forgotPlain += p[0] / seeds;
      newPlain += p[1] / seeds;
      forgotEwc += e[0] / seeds;
      newEwc += e[1] / seeds;
    }
    System.out.printf("forgetting of 0-4: plain %.3f, EWC %.3f; accuracy on 5-9: plain %.3f,"
        + " EWC %.3f%n", forgotPlain, forgotEwc, newPlain, newEwc);
    assertTrue(forgotEwc <= 0.5 * forgotPlain, "EWC " + forgotEwc + ", plain " + forgotPlain);
  }

  @Test
  void anAggregateBecomesAFrozenVersionAndTheWorkingCopyKeepsItsLaterProgress() {
    TypeLearner l = learner(LearningConfig.defaults(), 3);
    AdapterLearning.Selected v0 = l.current();
    assertEquals("shared:digits@0", v0.key());
    float[] initial = params((MicroLora) v0.adapter());
    assertArrayEquals(params(TypeLearner.initialAdapter("digits", 64, 8)), initial,
        "every node starts the type from the same adapter");
    for (int i = 0; i < 50; i++) {
      l.learn(DIGITS.trainEmbedding(i), label(i));
    }
    TypeLearner.Share share = l.share();
    assertArrayEquals(params(l.working()), share.params());
    assertArrayEquals(initial, share.base());
    for (int i = 50; i < 60; i++) { // progress after the share was sent
      l.learn(DIGITS.trainEmbedding(i), label(i));
    }
    float[] late = params(l.working());
    float[] aggregate = share.params().clone();
    for (int j = 0; j < aggregate.length; j++) {
      aggregate[j] += 0.01f * (j % 7 - 3);
    }
    l.apply(aggregate, 12);
    AdapterLearning.Selected v12 = l.current();
    assertEquals("shared:digits@12", v12.key());
    assertEquals(12, l.version());
    assertArrayEquals(aggregate, params((MicroLora) v12.adapter()));
    float[] working = params(l.working());
    for (int j = 0; j < working.length; j++) {
      assertEquals(aggregate[j] + (late[j] - share.params()[j]), working[j], 1e-6f, "at " + j);
    }
    assertArrayEquals(initial, params((MicroLora) v0.adapter()), "an old version never changes");
    for (int i = 60; i < 80; i++) {
      l.learn(DIGITS.trainEmbedding(i), label(i));
    }
    assertArrayEquals(aggregate, params((MicroLora) v12.adapter()),
        "training does not touch the published version");
    assertNotEquals(Arrays.toString(aggregate), Arrays.toString(params(l.working())));
  }

  private static float[] params(MicroLora m) {
    int a = m.rank() * m.inputDim();
    int b = m.rank() * m.outputDim();
    float[] out = new float[a + b];
    m.viewA().get(out, 0, a);
    m.viewBTransposed().get(out, a, b);
    return out;
  }
}
