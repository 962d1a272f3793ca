package io.github.edgenet.economy.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.reputation.ReputationException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReputationBookTest {
  static final long H = 1_000_000; // half-life in ms
  static final long C = 10_000_000; // confidence weight
  static final long STAKE = 500_000_000;
  static final ReputationConfig CFG = new ReputationConfig(H, C, 2_000, 100_000_000);

  static NodeId id(int i) {
    byte[] k = new byte[NodeId.LENGTH];
    k[5] = (byte) i;
    return NodeId.of(k);
  }

  @Test
  void scoreIsTheDecayedShareOfSuccessfulValue() {
    ReputationBook b = new ReputationBook(CFG);
    assertEquals(0.0, b.scoreAt(id(1), 0, STAKE), "newcomer");
    b.record(new TaskOutcome(id(1), 30_000_000, true, 0), STAKE);
    assertEquals(30.0 / 40.0, b.scoreAt(id(1), 0, STAKE), 1e-15);
    // one half-life later the evidence weighs half
    assertEquals(15.0 / 25.0, b.scoreAt(id(1), H, STAKE), 1e-15);
    b.record(new TaskOutcome(id(1), 15_000_000, false, H), STAKE);
    assertEquals(15.0 / 40.0, b.scoreAt(id(1), H, STAKE), 1e-15);
    assertTrue(b.scoreAt(id(1), 50 * H, STAKE) < 1e-12, "idle nodes decay to 0");
  }

  /** No per-interval floor: many frequent updates decay exactly as the closed form says. */
  @Test
  void frequentActorsCannotEscapeDecay() {
    ReputationBook b = new ReputationBook(CFG);
    double expected = 0;
    long t = 0;
    for (int i = 0; i < 2_000; i++) {
      t += 7; // far below any interval a stepwise decay would use
      b.record(new TaskOutcome(id(1), 1_000, true, t), STAKE);
    }
    long end = t + 3 * H;
    long tt = 0;
    for (int i = 0; i < 2_000; i++) {
      tt += 7;
      expected += 1_000 * Math.pow(0.5, (double) (end - tt) / H);
    }
    double score = b.scoreAt(id(1), end, STAKE);
    assertEquals(expected / (expected + C), score, 1e-12);
  }

  @Test
  void outcomesInAnotherOrderAgreeToRounding() {
    RandomSource r = RandomSource.seeded(5);
    List<TaskOutcome> outs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      outs.add(new TaskOutcome(id(1), 1 + r.nextInt(5_000_000), r.nextInt(4) != 0,
          r.nextInt(5_000_000)));
    }
    ReputationBook a = new ReputationBook(CFG);
    ReputationBook same = new ReputationBook(CFG);
    ReputationBook shuffled = new ReputationBook(CFG);
    outs.forEach(o -> a.record(o, STAKE));
    outs.forEach(o -> same.record(o, STAKE));
    List<TaskOutcome> sh = new ArrayList<>(outs);
    java.util.Collections.shuffle(sh, RandomSource.seeded(1));
    sh.forEach(o -> shuffled.record(o, STAKE));
    assertEquals(a.digest(), same.digest(), "same order: bit-identical");
    assertEquals(a.scoreAt(id(1), 6_000_000, STAKE), shuffled.scoreAt(id(1), 6_000_000, STAKE), 1e-13);
  }

  @Test
  void onlyStakedNodesHaveReputation() {
    ReputationBook b = new ReputationBook(CFG);
    String before = b.digest();
    ReputationException e = assertThrows(ReputationException.class,
        () -> b.record(new TaskOutcome(id(1), 1_000, true, 0), 99_999_999));
    assertEquals(Reason.NOT_STAKED, e.reason());
    assertEquals(Reason.INVALID_VALUE, assertThrows(ReputationException.class,
        () -> b.record(new TaskOutcome(id(1), 0, true, 0), STAKE)).reason());
    assertEquals(Reason.INVALID_VALUE, assertThrows(ReputationException.class,
        () -> b.record(new TaskOutcome(id(1), -3, true, 0), STAKE)).reason());
    assertEquals(before, b.digest());
    b.record(new TaskOutcome(id(1), 90_000_000, true, 0), STAKE);
    assertTrue(b.scoreAt(id(1), 0, STAKE) > 0.8);
    assertEquals(0.0, b.scoreAt(id(1), 0, 0), "unstaked: no reputation");
    assertNotEquals(before, b.digest());
  }

  @Test
  void discountGrowsWithReputationUpToTheMaximum() {
    ReputationBook b = new ReputationBook(ReputationConfig.defaults());
    assertEquals(0, b.discountBps(0));
    assertEquals(1_000, b.discountBps(0.5));
    assertEquals(2_000, b.discountBps(1.0));
    assertThrows(IllegalArgumentException.class, () -> b.discountBps(1.01));
    assertThrows(IllegalArgumentException.class, () -> b.discountBps(Double.NaN));
    long stake = ReputationConfig.defaults().minStakeMicros();
    assertEquals(1_000_000, b.discountedPrice(1_000_000, id(1), 0, stake));
    b.record(new TaskOutcome(id(1), 990_000_000, true, 0), stake);
    // score 990 / 1000 -> 1980 bps
    assertEquals(1_000_000 - 198_000, b.discountedPrice(1_000_000, id(1), 0, stake));
    assertEquals(Long.MAX_VALUE - Long.MAX_VALUE / 10_000 * 1_980 - (Long.MAX_VALUE % 10_000) * 1_980 / 10_000,
        b.discountedPrice(Long.MAX_VALUE, id(1), 0, stake));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22})
  void scoresStayInUnitIntervalAndMonotoneInNews(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    ReputationBook b = new ReputationBook(CFG);
    long t = 0;
    for (int i = 0; i < 20_000; i++) {
      t += r.nextInt(10_000);
      NodeId n = id(r.nextInt(20));
      double before = b.scoreAt(n, t, STAKE);
      boolean ok = r.nextInt(3) != 0;
      b.record(new TaskOutcome(n, 1 + r.nextInt(20_000_000), ok, t), STAKE);
      double after = b.scoreAt(n, t, STAKE);
      assertTrue(after >= 0 && after < 1, "seed " + seed);
      assertTrue(ok ? after >= before : after <= before, "seed " + seed + " step " + i);
    }
  }
}
