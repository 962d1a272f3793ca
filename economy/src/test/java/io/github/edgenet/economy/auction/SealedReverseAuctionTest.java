package io.github.edgenet.economy.auction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.auction.AuctionException.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SealedReverseAuctionTest {
  static final NodeId BUYER = id(100);
  static final long DEPOSIT = 5_000;

  static NodeId id(int i) {
    byte[] k = new byte[NodeId.LENGTH];
    k[0] = (byte) (i >>> 8);
    k[1] = (byte) i;
    return NodeId.of(k);
  }

  static byte[] salt(int i) {
    byte[] s = new byte[32];
    RandomSource.seeded(i).nextBytes(s);
    return s;
  }

  static AuctionTerms terms(long reserve) {
    return new AuctionTerms(42, BUYER, 1_000, 2_000, DEPOSIT, reserve, 100, 5_000, 8_000, 1_000);
  }

  static void commit(SealedReverseAuction a, int bidder, Bid bid) {
    a.commit(id(bidder), bid.commitment(42, id(bidder), salt(bidder)), DEPOSIT, 500);
  }

  private static void refused(SealedReverseAuction a, Reason reason, Executable op) {
    String before = a.digest();
    AuctionException e = assertThrows(AuctionException.class, op);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(before, a.digest(), "refused operation changed the auction");
  }

  @Test
  void lowestWinsAndIsPaidTheSecondLowest() {
    SealedReverseAuction a = SealedReverseAuction.open(terms(10_000));
    commit(a, 1, new Bid(3_000, 100, 9_000));
    commit(a, 2, new Bid(2_000, 100, 9_000));
    commit(a, 3, new Bid(4_500, 100, 9_000));
    commit(a, 4, new Bid(1_000, 100, 9_000)); // never reveals
    for (int b = 1; b <= 3; b++) {
      assertTrue(a.reveal(id(b), new Bid(new int[] {0, 3_000, 2_000, 4_500}[b], 100, 9_000),
          salt(b), 1_500));
    }
    AuctionOutcome o = a.settle(2_001);
    assertEquals(Optional.of(id(2)), o.winner());
    assertEquals(3_000, o.paymentMicros());
    assertEquals(List.of(id(2), id(1), id(3)), o.ranking());
    assertEquals(3, o.refunds().size());
    assertEquals(java.util.Map.of(id(4), DEPOSIT), o.forfeits());
    assertEquals(DEPOSIT, o.forfeitedMicros());
    refused(a, Reason.ALREADY_SETTLED, () -> a.settle(3_000));
  }

  @Test
  void aLoneBidIsPaidTheReserveAndNoBidMeansNoWinner() {
    SealedReverseAuction a = SealedReverseAuction.open(terms(10_000));
    commit(a, 1, new Bid(3_000, 100, 9_000));
    a.reveal(id(1), new Bid(3_000, 100, 9_000), salt(1), 1_001);
    AuctionOutcome o = a.settle(2_001);
    assertEquals(10_000, o.paymentMicros());
    assertEquals(Optional.of(id(1)), o.winner());
    AuctionOutcome none = SealedReverseAuction.open(terms(10_000)).settle(2_001);
    assertTrue(none.winner().isEmpty());
    assertEquals(0, none.paymentMicros());
  }

  @Test
  void constraintsMakeHonestRevealsIneligible() {
    SealedReverseAuction a = SealedReverseAuction.open(terms(10_000));
    Bid[] bids = {
      new Bid(50, 100, 9_000), // below minimum
      new Bid(20_000, 100, 9_000), // above reserve
      new Bid(1_000, 9_999, 9_000), // too slow
      new Bid(1_000, 100, 7_000), // too poor
      new Bid(6_000, 100, 9_000) // fine
    };
    for (int i = 0; i < bids.length; i++) {
      commit(a, i + 1, bids[i]);
    }
    for (int i = 0; i < bids.length; i++) {
      assertEquals(i == 4, a.reveal(id(i + 1), bids[i], salt(i + 1), 1_500));
    }
    AuctionOutcome o = a.settle(2_500);
    assertEquals(Optional.of(id(5)), o.winner());
    assertEquals(10_000, o.paymentMicros(), "only one eligible bid: reserve price");
    assertEquals(4, o.ineligible().size());
    assertEquals(5, o.refunds().size());
  }

  @Test
  void tieBreakIsDeterministic() {
    SealedReverseAuction a = SealedReverseAuction.open(terms(10_000));
    Bid[] bids = {new Bid(2_000, 300, 9_000), new Bid(2_000, 200, 9_000),
        new Bid(2_000, 200, 9_500), new Bid(2_000, 200, 9_500)};
    for (int i = bids.length - 1; i >= 0; i--) {
      commit(a, i + 1, bids[i]);
    }
    for (int i = 0; i < bids.length; i++) {
      a.reveal(id(i + 1), bids[i], salt(i + 1), 1_999);
    }
    AuctionOutcome o = a.settle(2_001);
    assertEquals(List.of(id(3), id(4), id(2), id(1)), o.ranking());
    assertEquals(2_000, o.paymentMicros());
  }

  @Test
  void adversarialOperationsAreRefusedAndChangeNothing() {
    SealedReverseAuction a = SealedReverseAuction.open(terms(10_000));
    Bid bid = new Bid(3_000, 100, 9_000);
    commit(a, 1, bid);
    byte[] c2 = bid.commitment(42, id(2), salt(2));
    refused(a, Reason.COMMIT_CLOSED, () -> a.commit(id(2), c2, DEPOSIT, 1_001));
    refused(a, Reason.DUPLICATE_COMMIT, () -> a.commit(id(1), c2, DEPOSIT, 600));
    refused(a, Reason.WRONG_DEPOSIT, () -> a.commit(id(2), c2, DEPOSIT - 1, 600));
    refused(a, Reason.MALFORMED, () -> a.commit(id(2), new byte[31], DEPOSIT, 600));
    refused(a, Reason.REVEAL_TOO_EARLY, () -> a.reveal(id(1), bid, salt(1), 1_000));
    refused(a, Reason.LATE_REVEAL, () -> a.reveal(id(1), bid, salt(1), 2_001));
    refused(a, Reason.UNKNOWN_BIDDER, () -> a.reveal(id(2), bid, salt(2), 1_500));
    refused(a, Reason.REVEAL_MISMATCH,
        () -> a.reveal(id(1), new Bid(2_999, 100, 9_000), salt(1), 1_500));
    refused(a, Reason.REVEAL_MISMATCH, () -> a.reveal(id(1), bid, salt(7), 1_500));
    refused(a, Reason.MALFORMED, () -> a.reveal(id(1), bid, new byte[3], 1_500));
    refused(a, Reason.NOT_CLOSED, () -> a.settle(2_000));
    assertTrue(a.reveal(id(1), bid, salt(1), 1_500));
    refused(a, Reason.DUPLICATE_REVEAL, () -> a.reveal(id(1), bid, salt(1), 1_600));
    // A commitment copied from another auction or bidder does not open here.
    SealedReverseAuction other = SealedReverseAuction.open(terms(10_000));
    other.commit(id(3), bid.commitment(41, id(3), salt(3)), DEPOSIT, 10);
    refused(other, Reason.REVEAL_MISMATCH, () -> other.reveal(id(3), bid, salt(3), 1_500));
    SealedReverseAuction small = SealedReverseAuction.open(
        new AuctionTerms(42, BUYER, 1_000, 2_000, DEPOSIT, 10_000, 100, 5_000, 0, 1));
    commit(small, 1, bid);
    refused(small, Reason.TOO_MANY_BIDDERS, () -> commit(small, 2, bid));
  }

  @Test
  void commitmentIsSaltedAndBound() {
    Bid bid = new Bid(3_000, 100, 9_000);
    assertArrayEquals(bid.commitment(42, id(1), salt(1)), bid.commitment(42, id(1), salt(1)));
    assertFalse(java.util.Arrays.equals(bid.commitment(42, id(1), salt(1)),
        bid.commitment(42, id(1), salt(2))));
    assertFalse(java.util.Arrays.equals(bid.commitment(42, id(1), salt(1)),
        bid.commitment(42, id(2), salt(1))));
  }

  /**
   * The Vickrey property, by simulation: against any fixed bids of the others, bidding one's true
   * cost earns at least as much as any shaded bid (utility = payment - cost if winning, else 0).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void truthfulBiddingIsNeverWorseThanShading(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    long[] factorsPermille = {500, 700, 850, 950, 990, 1000, 1010, 1050, 1200, 1500, 2000};
    int strictlyBetter = 0;
    for (int trial = 0; trial < 400; trial++) {
      int n = 2 + r.nextInt(6);
      long reserve = 5_000 + r.nextInt(5_000);
      long[] costs = new long[n];
      for (int i = 0; i < n; i++) {
        costs[i] = 100 + r.nextInt(9_000);
      }
      long truthful = utility(costs, costs[0], reserve);
      for (long f : factorsPermille) {
        long shaded = Math.max(1, costs[0] * f / 1000);
        long u = utility(costs, shaded, reserve);
        assertTrue(truthful >= u, "seed " + seed + " trial " + trial + ": truthful " + truthful
            + " < shaded(" + f + ") " + u);
        if (truthful > u) {
          strictlyBetter++;
        }
      }
    }
    assertTrue(strictlyBetter > 0, "the simulation never distinguished the strategies");
  }

  private static long utility(long[] costs, long myBid, long reserve) {
    SealedReverseAuction a = SealedReverseAuction.open(
        new AuctionTerms(42, BUYER, 1_000, 2_000, DEPOSIT, reserve, 1, 5_000, 0, 100));
    for (int i = 0; i < costs.length; i++) {
      Bid b = new Bid(i == 0 ? myBid : costs[i], 100, 9_000);
      a.commit(id(i + 1), b.commitment(42, id(i + 1), salt(i + 1)), DEPOSIT, 10);
      a.reveal(id(i + 1), b, salt(i + 1), 1_500);
    }
    AuctionOutcome o = a.settle(2_500);
    return o.winner().equals(Optional.of(id(1))) ? o.paymentMicros() - costs[0] : 0;
  }
}
