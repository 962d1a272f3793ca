package io.github.edgenet.economy.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.rewards.RewardException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VestingBookTest {
  static final NodeId ALICE = id(1);
  static final NodeId BOB = id(2);
  static final NodeId TREASURY = id(9);
  static final long DAY = 86_400_000L;

  static NodeId id(int i) {
    byte[] k = new byte[NodeId.LENGTH];
    k[31] = (byte) i;
    k[30] = (byte) (i >>> 8);
    return NodeId.of(k);
  }

  private static void refused(VestingBook b, Reason reason, Executable op) {
    String before = b.digest();
    RewardException e = assertThrows(RewardException.class, op);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(before, b.digest());
  }

  /**
   * OpenZeppelin test/finance/VestingWallet.behavior.js: the vested amount checked at 64 points
   * from start to end is min(total, total * (t - start) / duration), and releasing at each point
   * pays exactly the increase.
   */
  @Test
  void followsVestingWalletsPublishedSchedule() {
    long start = 1_700_000_000_000L + DAY;
    long duration = 4 * 365 * DAY;
    long amount = 100_000_000_000L;
    VestingBook b = new VestingBook();
    b.grant(1, ALICE, TREASURY, amount, new VestingSchedule(start, 0, duration));
    assertEquals(0, b.lookup(1).vestedAt(start - 1));
    assertEquals(0, b.lookup(1).vestedAt(start));
    long paid = 0;
    for (long t = start; t < start + duration + 10 * DAY; t += duration / 60) {
      long expected = Math.min(amount, java.math.BigInteger.valueOf(amount)
          .multiply(java.math.BigInteger.valueOf(t - start))
          .divide(java.math.BigInteger.valueOf(duration)).longValueExact());
      assertEquals(expected, b.lookup(1).vestedAt(t), "t=" + t);
      long r = b.release(1, ALICE, t);
      paid += r;
      assertEquals(expected, paid);
      assertEquals(paid, b.lookup(1).released());
    }
    assertEquals(amount, paid);
    assertEquals(0, b.release(1, ALICE, start + 2 * duration));
  }

  /** OpenZeppelin VestingWalletCliff: nothing before the cliff, linear from the start after it. */
  @Test
  void cliffFollowsVestingWalletCliff() {
    VestingSchedule s = new VestingSchedule(1_000, 250, 1_000);
    assertEquals(0, s.vestedAt(1_000_000, 1_249));
    assertEquals(250_000, s.vestedAt(1_000_000, 1_250));
    assertEquals(500_000, s.vestedAt(1_000_000, 1_500));
    assertEquals(1_000_000, s.vestedAt(1_000_000, 2_000));
    assertEquals(Reason.INVALID_SCHEDULE,
        assertThrows(RewardException.class, () -> new VestingSchedule(0, 1_001, 1_000)).reason());
    assertEquals(Reason.INVALID_SCHEDULE,
        assertThrows(RewardException.class, () -> new VestingSchedule(-1, 0, 1_000)).reason());
    assertEquals(7, new VestingSchedule(10, 0, 0).vestedAt(7, 10), "zero duration vests at start");
    // 128-bit product: total * elapsed does not fit 64 bits
    VestingSchedule wide = new VestingSchedule(0, 0, 1L << 40);
    assertEquals(Long.MAX_VALUE / 2, wide.vestedAt(Long.MAX_VALUE, 1L << 39));
  }

  @Test
  void clawBackTakesOnlyTheUnvestedPartOfOnlyTheNamedRecipient() {
    VestingBook b = new VestingBook();
    VestingSchedule s = new VestingSchedule(0, 0, 1_000);
    b.grant(1, ALICE, TREASURY, 1_000_000, s);
    b.grant(2, BOB, TREASURY, 1_000_000, s);
    assertEquals(300_000, b.release(1, ALICE, 300));
    refused(b, Reason.WRONG_RECIPIENT, () -> b.clawBack(1, BOB, TREASURY, 400));
    refused(b, Reason.NOT_FUNDER, () -> b.clawBack(1, ALICE, BOB, 400));
    assertEquals(600_000, b.clawBack(1, ALICE, TREASURY, 400));
    refused(b, Reason.ALREADY_CLAWED_BACK, () -> b.clawBack(1, ALICE, TREASURY, 500));
    // Alice keeps what had vested at the claw-back, not more.
    assertEquals(100_000, b.release(1, ALICE, 900));
    assertEquals(0, b.release(1, ALICE, 5_000));
    // Bob's grant is untouched.
    assertEquals(900_000, b.release(2, BOB, 900));
    assertEquals(b.totalGranted(), b.totalReleased() + b.totalClawedBack() + b.outstanding());
    assertEquals(100_000, b.outstanding());
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    VestingBook b = new VestingBook();
    VestingSchedule s = new VestingSchedule(0, 0, 1_000);
    b.grant(1, ALICE, TREASURY, 1_000, s);
    refused(b, Reason.INVALID_AMOUNT, () -> b.grant(2, ALICE, TREASURY, 0, s));
    refused(b, Reason.INVALID_AMOUNT, () -> b.grant(2, ALICE, TREASURY, -5, s));
    refused(b, Reason.DUPLICATE_GRANT, () -> b.grant(1, ALICE, TREASURY, 5, s));
    refused(b, Reason.INVALID_AMOUNT, () -> b.grant(3, ALICE, TREASURY, Long.MAX_VALUE, s));
    refused(b, Reason.UNKNOWN_GRANT, () -> b.release(77, ALICE, 10));
    refused(b, Reason.NOT_RECIPIENT, () -> b.release(1, BOB, 500));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12})
  void randomOperationsKeepTheInvariants(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    VestingBook b = new VestingBook();
    long now = 0;
    int nextId = 0;
    long paidToRecipients = 0;
    long returnedToFunder = 0;
    for (int i = 0; i < 30_000; i++) {
      now += r.nextInt(50);
      int op = r.nextInt(10);
      try {
        if (op < 3 || nextId == 0) {
          long dur = r.nextInt(5_000);
          b.grant(nextId++, id(r.nextInt(5)), TREASURY, 1 + r.nextInt(1_000_000),
              new VestingSchedule(now + r.nextInt(100), r.nextInt((int) dur + 1), dur));
        } else if (op < 9) {
          int g = r.nextInt(nextId);
          paidToRecipients += b.release(g, b.lookup(g).recipient(), now);
        } else {
          int g = r.nextInt(nextId);
          returnedToFunder += b.clawBack(g, b.lookup(g).recipient(), TREASURY, now);
        }
      } catch (RewardException e) {
        assertEquals(Reason.ALREADY_CLAWED_BACK, e.reason(), "seed " + seed);
      }
      if (i % 1000 == 0) {
        for (int g = 0; g < nextId; g++) {
          Grant gr = b.lookup(g);
          assertTrue(gr.released() <= gr.vestedAt(now), "seed " + seed);
          assertTrue(gr.vestedAt(now) <= gr.total(), "seed " + seed);
        }
      }
    }
    assertEquals(paidToRecipients, b.totalReleased());
    assertEquals(returnedToFunder, b.totalClawedBack());
    assertEquals(b.totalGranted(), paidToRecipients + returnedToFunder + b.outstanding(),
        "seed " + seed + ": tokens conserved between escrow and accounts");
  }
}
