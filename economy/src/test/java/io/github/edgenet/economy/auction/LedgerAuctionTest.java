package io.github.edgenet.economy.auction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.economy.auction.AuctionException.Reason;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.AuctionBody.Commit;
import io.github.edgenet.economy.ledger.AuctionBody.Forfeit;
import io.github.edgenet.economy.ledger.AuctionBody.Open;
import io.github.edgenet.economy.ledger.AuctionBody.Reveal;
import io.github.edgenet.economy.ledger.AuctionBody.Settle;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.replication.ReplicationSimulationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sealed reverse auction as ledger operations: Vickrey payment (the second-lowest ask, the
 * reserve with one bid), deposits refunded by reveals and forfeited to the buyer with a witness,
 * every refusal typed with an unchanged digest, supply conserved over seeded random auctions, and
 * the same operations in other orders giving the same state.
 */
class LedgerAuctionTest {
  private static final long DEPOSIT = 10_000;
  private static final long RESERVE = 500_000;

  private final RandomSource keys = RandomSource.seeded(43);
  private final NodeIdentity genesis = NodeIdentity.generate(keys);
  private final NodeIdentity buyer = NodeIdentity.generate(keys);
  private final NodeIdentity ann = NodeIdentity.generate(keys);
  private final NodeIdentity ben = NodeIdentity.generate(keys);
  private final NodeIdentity cid = NodeIdentity.generate(keys);
  private final NodeIdentity dan = NodeIdentity.generate(keys);
  private final VirtualClock clock = new VirtualClock();
  private final long t0 = clock.epochMillis();
  private final LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
  private Ledger l;

  @BeforeEach
  void fund() throws Exception {
    l = Ledger.inMemory(config, clock);
    l.append(genesis, new OperationBody.Mint(10_000_000));
    for (NodeIdentity n : List.of(buyer, ann, ben, cid, dan)) {
      l.append(n, new OperationBody.Receive(
          l.append(genesis, new OperationBody.Send(n.id(), 1_000_000)).id()));
    }
  }

  @AfterEach
  void close() {
    l.close();
  }

  private void at(long t) {
    clock.advance(Duration.ofMillis(t0 + t - clock.epochMillis()));
  }

  private static byte[] salt(int b) {
    byte[] s = new byte[32];
    s[0] = (byte) b;
    s[31] = 1;
    return s;
  }

  /** Opened now: commits up to t0 + 1,000, reveals up to t0 + 2,000. */
  private Operation open(NodeIdentity who) throws LedgerException {
    return l.append(who, new Open(t0 + 1_000, t0 + 2_000, DEPOSIT, RESERVE, 1, 10_000, 0, 10,
        new byte[32]));
  }

  private Operation commit(NodeIdentity who, Operation open, Bid bid, int salt)
      throws LedgerException {
    return l.append(who, new Commit(open.id(), DEPOSIT,
        bid.commitment(AuctionBody.auctionId(open.id()), who.id(), salt(salt))));
  }

  private static Bid ask(long price) {
    return new Bid(price, 1_000, 9_000);
  }

  private static List<OperationId> sorted(Operation... reveals) {
    List<OperationId> ids = new ArrayList<>();
    for (Operation r : reveals) {
      ids.add(r.id());
    }
    ids.sort(null);
    return ids;
  }

  private void refused(Reason detail, Op op) {
    byte[] before = l.stateDigest();
    int size = l.size();
    LedgerException e = assertThrows(LedgerException.class, op::run);
    assertEquals(LedgerException.Reason.AUCTION, e.reason(), e.getMessage());
    assertEquals(detail, e.detail(), e.getMessage());
    assertArrayEquals(before, l.stateDigest(), "a refusal changes nothing: " + e.getMessage());
    assertEquals(size, l.size());
  }

  private void rejected(LedgerException.Reason reason, Op op) {
    byte[] before = l.stateDigest();
    LedgerException e = assertThrows(LedgerException.class, op::run);
    assertEquals(reason, e.reason(), e.getMessage());
    assertArrayEquals(before, l.stateDigest());
  }

  private interface Op {
    void run() throws Exception;
  }

  @Test
  void lowestAskWinsAndIsPaidTheSecondLowest() throws Exception {
    Operation open = open(buyer);
    assertEquals(1_000_000 - RESERVE, l.account(buyer.id()).balance(), "the reserve is locked");
    at(500);
    Operation ca = commit(ann, open, ask(100_000), 1);
    Operation cb = commit(ben, open, ask(120_000), 2);
    Operation cc = commit(cid, open, ask(150_000), 3);
    assertEquals(1_000_000 - DEPOSIT, l.account(ann.id()).balance());
    at(1_500);
    Operation ra = l.append(ann, new Reveal(ca.id(), ask(100_000), salt(1)));
    Operation rb = l.append(ben, new Reveal(cb.id(), ask(120_000), salt(2)));
    Operation rc = l.append(cid, new Reveal(cc.id(), ask(150_000), salt(3)));
    assertEquals(1_000_000, l.account(ann.id()).balance(), "a reveal refunds the deposit");
    at(2_500);
    Operation settle = l.append(buyer, new Settle(open.id(), sorted(ra, rb, rc)));
    LedgerAuction view = l.auction(open.id()).orElseThrow();
    AuctionOutcome o = view.outcome().orElseThrow();
    assertEquals(ann.id(), o.winner().orElseThrow());
    assertEquals(120_000, o.paymentMicros(), "second price");
    assertEquals(List.of(ann.id(), ben.id(), cid.id()), o.ranking());
    assertEquals(settle.id(), view.settlement().orElseThrow());
    view.deposits().values().forEach(d -> assertEquals(LedgerAuction.Deposit.REFUNDED, d));
    assertEquals(1_000_000 - 120_000, l.account(buyer.id()).balance(), "the rest came back");
    assertEquals(List.of(settle.id()), l.unclaimed(ann.id()));
    l.append(ann, new OperationBody.Receive(settle.id()));
    assertEquals(1_120_000, l.account(ann.id()).balance());
    rejected(LedgerException.Reason.NOT_RECIPIENT,
        () -> l.append(ben, new OperationBody.Receive(settle.id())));
    rejected(LedgerException.Reason.ALREADY_CLAIMED,
        () -> l.append(ann, new OperationBody.Receive(settle.id())));
    assertEquals(l.supply(), l.circulating());
    assertEquals(10_000_000, l.supply());
  }

  @Test
  void oneBidIsPaidTheReserveAndAnUnrevealedDepositIsForfeited() throws Exception {
    Operation open = open(buyer);
    at(500);
    Operation ca = commit(ann, open, ask(200_000), 1);
    Operation cd = commit(dan, open, ask(90_000), 4);
    at(1_500);
    Operation ra = l.append(ann, new Reveal(ca.id(), ask(200_000), salt(1)));
    Operation early = l.append(dan, new OperationBody.Seal());
    at(2_001);
    Operation witness = l.append(dan, new OperationBody.Seal()); // dan moved on, never revealed
    at(2_500);
    refused(Reason.NOT_FORFEITABLE, () -> l.append(buyer, new Forfeit(cd.id(), early.id())));
    refused(Reason.NOT_FORFEITABLE, () -> l.append(buyer, new Forfeit(ca.id(), ra.id())));
    rejected(LedgerException.Reason.TIMESTAMP_REGRESSION, () -> l.submit(Operation.sign(dan,
        l.head(dan.id()).length(), l.head(dan.id()).head(), t0 + 1_900,
        new Reveal(cd.id(), ask(90_000), salt(4)))));
    Operation settle = l.append(buyer, new Settle(open.id(), sorted(ra)));
    AuctionOutcome o = l.auction(open.id()).orElseThrow().outcome().orElseThrow();
    assertEquals(ann.id(), o.winner().orElseThrow());
    assertEquals(RESERVE, o.paymentMicros(), "one eligible bid: the reserve");
    Operation forfeit = l.append(buyer, new Forfeit(cd.id(), witness.id()));
    assertEquals(LedgerAuction.Deposit.FORFEITED,
        l.auction(open.id()).orElseThrow().deposits().get(dan.id()));
    assertEquals(0, l.account(dan.id()).deposits());
    refused(Reason.NOT_FORFEITABLE, () -> l.append(buyer, new Forfeit(cd.id(), witness.id())));
    l.append(buyer, new OperationBody.Receive(forfeit.id()));
    l.append(ann, new OperationBody.Receive(settle.id()));
    assertEquals(1_000_000 - RESERVE + DEPOSIT, l.account(buyer.id()).balance());
    assertEquals(1_000_000 + RESERVE, l.account(ann.id()).balance());
    assertEquals(1_000_000 - DEPOSIT, l.account(dan.id()).balance());
    assertEquals(l.supply(), l.circulating());
    assertEquals(10_000_000, l.supply());
  }

  @Test
  void everyBadAuctionOperationIsTypedAndChangesNothing() throws Exception {
    rejected(LedgerException.Reason.INSUFFICIENT_BALANCE, () -> l.append(buyer,
        new Open(t0 + 1_000, t0 + 2_000, DEPOSIT, 2_000_000, 1, 10_000, 0, 10, new byte[32])));
    Operation open = open(buyer);
    Operation other = open(cid);
    OperationId notAnAuction = l.head(ann.id()).head();
    refused(Reason.UNKNOWN_AUCTION,
        () -> l.append(ann, new Commit(notAnAuction, DEPOSIT, new byte[32])));
    rejected(LedgerException.Reason.NOT_AUTHORIZED, () -> commit(buyer, open, ask(1), 1));
    refused(Reason.WRONG_DEPOSIT, () -> l.append(ann, new Commit(open.id(), DEPOSIT + 1,
        new byte[32])));
    at(500);
    Operation ca = commit(ann, open, ask(100_000), 1);
    Operation cb = commit(ben, open, ask(120_000), 2);
    Operation cOther = commit(dan, other, ask(130_000), 5);
    refused(Reason.DUPLICATE_COMMIT, () -> commit(ann, open, ask(90_000), 9));
    refused(Reason.REVEAL_TOO_EARLY,
        () -> l.append(ann, new Reveal(ca.id(), ask(100_000), salt(1))));
    at(1_001);
    refused(Reason.COMMIT_CLOSED, () -> commit(dan, open, ask(1), 6));
    refused(Reason.REVEAL_MISMATCH,
        () -> l.append(ann, new Reveal(ca.id(), ask(99_000), salt(1))));
    refused(Reason.REVEAL_MISMATCH,
        () -> l.append(ann, new Reveal(ca.id(), ask(100_000), salt(2))));
    refused(Reason.UNKNOWN_BIDDER,
        () -> l.append(ben, new Reveal(ca.id(), ask(100_000), salt(1))));
    Operation ra = l.append(ann, new Reveal(ca.id(), ask(100_000), salt(1)));
    Operation rOther = l.append(dan, new Reveal(cOther.id(), ask(130_000), salt(5)));
    refused(Reason.DUPLICATE_REVEAL,
        () -> l.append(ann, new Reveal(ca.id(), ask(100_000), salt(1))));
    refused(Reason.NOT_CLOSED, () -> l.append(buyer, new Settle(open.id(), sorted(ra))));
    at(2_001);
    refused(Reason.LATE_REVEAL,
        () -> l.append(ben, new Reveal(cb.id(), ask(120_000), salt(2))));
    refused(Reason.UNKNOWN_AUCTION, () -> l.append(ann, new Settle(open.id(), sorted(ra))));
    refused(Reason.UNKNOWN_BIDDER,
        () -> l.append(buyer, new Settle(open.id(), sorted(ra, rOther))));
    rejected(LedgerException.Reason.UNKNOWN_SOURCE, () -> l.append(buyer,
        new Settle(open.id(), List.of(OperationId.of(new byte[32])))));
    l.append(buyer, new Settle(open.id(), sorted(ra)));
    refused(Reason.ALREADY_SETTLED, () -> l.append(buyer, new Settle(open.id(), sorted(ra))));
    // bytes from a peer: an unsorted settlement and a truncated commit are malformed
    Operation s2 = l.append(cid, new Settle(other.id(), sorted(rOther)));
    byte[] bytes = s2.encoded();
    rejected(LedgerException.Reason.MALFORMED, () -> Operation.decode(
        java.util.Arrays.copyOf(bytes, bytes.length - 1)));
    assertThrows(IllegalArgumentException.class,
        () -> new Settle(open.id(), List.of(rOther.id(), rOther.id())));
    assertEquals(l.supply(), l.circulating());
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(1, 3);
  }

  /** Auctions with random bids, reveals, settlements and forfeits, valid and not. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void supplyIsConservedAndTheStateIsSetDetermined(long seed) throws Exception {
    RandomSource r = SeededCases.random("LedgerAuctionTest.conservation", seed);
    List<NodeIdentity> bidders = List.of(ann, ben, cid, dan);
    List<Operation> opens = new ArrayList<>();
    Map<OperationId, List<Operation>> reveals = new java.util.HashMap<>();
    List<Operation[]> commits = new ArrayList<>(); // {open, commit}
    Map<OperationId, Integer> prices = new java.util.HashMap<>();
    int refusals = 0;
    int settled = 0;
    int forfeited = 0;
    l.append(buyer, new OperationBody.Receive(
        l.append(genesis, new OperationBody.Send(buyer.id(), 5_000_000)).id()));
    Map<String, Integer> why = new java.util.TreeMap<>();
    for (int step = 0; step < 3_000; step++) {
      clock.advance(Duration.ofMillis(1 + r.nextInt(15)));
      long now = clock.epochMillis();
      byte[] before = step % 7 == 0 ? l.stateDigest() : null;
      try {
        switch (r.nextInt(8)) {
          case 0 -> opens.add(l.append(buyer, new Open(now + 200 + r.nextInt(300),
              now + 600 + r.nextInt(400), DEPOSIT, 1 + r.nextInt(100_000), 1, 10_000, 0, 10,
              new byte[32])));
          case 1, 2, 3 -> {
            if (!opens.isEmpty()) {
              Operation open = recent(opens, r);
              NodeIdentity who = bidders.get(r.nextInt(bidders.size()));
              int price = 1 + r.nextInt(120_000);
              Operation c = commit(who, open, ask(price), price);
              commits.add(new Operation[] {open, c});
              prices.put(c.id(), price);
            }
          }
          case 4, 5 -> {
            if (!commits.isEmpty()) {
              Operation[] oc = recent(commits, r);
              long price = 1 + r.nextInt(120_000);
              Commit c = (Commit) oc[1].body();
              boolean honest = r.nextInt(8) != 0;
              Bid bid = ask(honest ? prices.get(oc[1].id()) : price);
              int saltOf = honest ? prices.get(oc[1].id()) : (int) price;
              NodeIdentity who = bidders.stream()
                  .filter(b -> b.id().equals(oc[1].account())).findFirst().orElseThrow();
              Operation rev = l.append(who, new Reveal(oc[1].id(), bid, salt(saltOf)));
              reveals.computeIfAbsent(c.auction(), k -> new ArrayList<>()).add(rev);
            }
          }
          case 6 -> {
            if (!opens.isEmpty()) {
              Operation open = recent(opens, r);
              List<Operation> rs = reveals.getOrDefault(open.id(), List.of());
              l.append(buyer, new Settle(open.id(), sorted(rs.toArray(new Operation[0]))));
              settled++;
            }
          }
          default -> {
            if (!commits.isEmpty()) {
              Operation[] oc = recent(commits, r);
              ChainHead h = l.head(oc[1].account());
              l.append(buyer, new Forfeit(oc[1].id(), h.head()));
              forfeited++;
            }
          }
        }
      } catch (LedgerException e) {
        refusals++;
        why.merge(e.reason() + (e.detail() == null ? "" : "/" + e.detail()), 1, Integer::sum);
        if (before != null) {
          assertArrayEquals(before, l.stateDigest(), e.getMessage());
        }
      }
      for (NodeIdentity n : List.of(buyer, ann, ben, cid, dan)) {
        if (r.nextInt(10) == 0) {
          for (OperationId u : l.unclaimed(n.id())) {
            l.append(n, new OperationBody.Receive(u));
          }
        }
      }
      if (step % 50 == 0) {
        assertEquals(10_000_000, l.supply());
        assertEquals(l.supply(), l.circulating(), "step " + step);
        for (NodeIdentity n : List.of(buyer, ann, ben, cid, dan)) {
          assertTrue(l.account(n.id()).deposits() >= 0 && l.account(n.id()).auctionLocked() >= 0
              && l.account(n.id()).balance() >= 0, "step " + step + ": " + l.account(n.id()));
        }
      }
      if (step % 500 == 0 || step == 2_999) {
        // deposits and reserves held by accounts = what the auctions' own records say is locked
        long locked = 0;
        long reserves = 0;
        for (Operation open : opens) {
          LedgerAuction a = l.auction(open.id()).orElseThrow();
          locked += DEPOSIT * a.deposits().values().stream()
              .filter(d -> d == LedgerAuction.Deposit.LOCKED).count();
          reserves += a.settlement().isEmpty() ? a.terms().reservePriceMicros() : 0;
        }
        long deposits = 0;
        for (NodeIdentity n : bidders) {
          deposits += l.account(n.id()).deposits();
        }
        assertEquals(locked, deposits, "step " + step);
        assertEquals(reserves, l.account(buyer.id()).auctionLocked(), "step " + step);
      }
    }
    assertEquals(l.supply(), l.circulating());
    assertEquals(0, l.skipped());
    System.out.println(opens.size() + " auctions, " + commits.size() + " commitments, " + settled
        + " settled, " + forfeited + " forfeits, "
        + refusals + " refused: " + why);
    assertTrue(refusals > 100 && commits.size() > 300 && settled > 20 && forfeited > 5,
        refusals + " refused: " + why);
    List<Operation> all = new ArrayList<>();
    for (ChainHead h : l.heads()) {
      all.addAll(l.operations(h.account(), 0, Integer.MAX_VALUE));
    }
    for (Operation op : all) { // every kind round-trips through its bytes
      Operation back = Operation.decode(op.encoded());
      assertEquals(op.id(), back.id());
      assertEquals(op.body(), back.body(), op.body().kind().toString());
    }
    for (int shuffle = 0; shuffle < 2; shuffle++) {
      try (Ledger other = Ledger.inMemory(config, clock)) {
        ReplicationSimulationTest.feedShuffled(other, all, r.derive("shuffle" + shuffle));
        assertArrayEquals(l.stateDigest(), other.stateDigest());
        for (Operation open : opens) {
          assertEquals(l.auction(open.id()), other.auction(open.id()));
        }
      }
    }
  }

  /** Mostly one of the last few items (live auctions), sometimes any (mostly refused). */
  private static <T> T recent(List<T> items, RandomSource r) {
    int n = items.size();
    return items.get(r.nextInt(4) == 0 ? r.nextInt(n) : n - 1 - r.nextInt(Math.min(n, 4)));
  }
}
