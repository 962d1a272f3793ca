package io.github.edgenet.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.economy.auction.LedgerAuction;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Seal;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A buyer's forfeit whose witness lies on one branch of a bidder that equivocated after its
 * commitment (docs/economy.md, "Forfeits of an equivocating bidder"): whether it is accepted
 * must not depend on which of the bidder's branches a node held first. Nodes fed the same
 * operations with the branches in opposite orders accept it alike, hold the buyer's whole chain
 * and reach the same state digest; the deposit goes to the buyer exactly when no reveal of the
 * commitment is effective.
 */
class ForfeitWitnessBranchTest {
  private static final long DEPOSIT = 10_000;
  private static final long RESERVE = 500_000;
  private static final long ASK = 100_000;

  private final List<NodeIdentity> ids = Keys.identities(59, 3);
  private final NodeIdentity genesis = ids.get(0);
  private final NodeIdentity buyer = ids.get(1);
  private final NodeIdentity dan = ids.get(2);
  private final VirtualClock clock = new VirtualClock();
  private final LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
  /** Commits up to t + 1,000, reveals up to t + 2,000; everything is a minute in the past. */
  private final long t = clock.epochMillis() - 60_000;

  private static Operation after(NodeIdentity who, Operation prev, long ts, OperationBody b) {
    return Operation.sign(who, prev.sequence() + 1, prev.id(), ts, b);
  }

  private static byte[] salt() {
    byte[] s = new byte[32];
    s[0] = 7;
    return s;
  }

  /** The shared history: funds, the buyer's open, dan's commitment (the last element). */
  private List<Operation> history() {
    List<Operation> ops = new ArrayList<>();
    Operation mint = Operation.sign(genesis, 0, OperationId.ZERO, t, new Mint(10_000_000));
    Operation toBuyer = after(genesis, mint, t, new Send(buyer.id(), 1_000_000));
    Operation toDan = after(genesis, toBuyer, t, new Send(dan.id(), 1_000_000));
    Operation buyerGot = Operation.sign(buyer, 0, OperationId.ZERO, t + 1,
        new Receive(toBuyer.id()));
    Operation danGot = Operation.sign(dan, 0, OperationId.ZERO, t + 1, new Receive(toDan.id()));
    Operation open = after(buyer, buyerGot, t + 2, new AuctionBody.Open(t + 1_000, t + 2_000,
        DEPOSIT, RESERVE, 1, 10_000, 0, 10, new byte[32]));
    Operation commit = after(dan, danGot, t + 500, new AuctionBody.Commit(open.id(), DEPOSIT,
        bid().commitment(AuctionBody.auctionId(open.id()), dan.id(), salt())));
    ops.addAll(List.of(mint, toBuyer, toDan, buyerGot, danGot, open, commit));
    return ops;
  }

  private static Bid bid() {
    return new Bid(ASK, 1_000, 9_000);
  }

  private Operation open(List<Operation> history) {
    return history.get(5);
  }

  /** The buyer's forfeit with {@code witness}, its receive and a spend after it. */
  private List<Operation> buyerTail(List<Operation> history, Operation commit, Operation witness) {
    Operation forfeit = after(buyer, open(history), t + 3_000,
        new AuctionBody.Forfeit(commit.id(), witness.id()));
    Operation got = after(buyer, forfeit, t + 3_001, new Receive(forfeit.id()));
    Operation spend = after(buyer, got, t + 3_002, new Send(genesis.id(), 1_000));
    return List.of(forfeit, got, spend);
  }

  @Test
  void aWitnessAboveTheConflictCountsWhicheverBranchANodeHolds() throws Exception {
    List<Operation> history = history();
    Operation commit = history.getLast();
    // dan forks right after committing: branch a reveals in time, branch b moves on unrevealed.
    Operation a1 = after(dan, commit, t + 1_500, new AuctionBody.Reveal(commit.id(), bid(),
        salt()));
    Operation a2 = after(dan, a1, t + 2_500, new Seal());
    Operation b1 = after(dan, commit, t + 1_600, new Seal());
    Operation b2 = after(dan, b1, t + 2_600, new Seal());
    List<Operation> tail = buyerTail(history, commit, b2);
    byte[] digest = null;
    for (List<Operation> branches : List.of(List.of(a1, a2, b1, b2), List.of(b1, b2, a1, a2))) {
      try (Ledger l = Ledger.inMemory(config, clock)) {
        List<Operation> ops = new ArrayList<>(history);
        ops.addAll(branches);
        ops.addAll(tail);
        for (Ledger.Result r : l.submitAll(ops)) {
          assertTrue(r.rejection() == null
              || r.rejection().reason() == LedgerException.Reason.CHAIN_VOID, r.toString());
        }
        String node = branches.getFirst() == a1 ? "branch a first" : "branch b first";
        assertEquals(List.of(dan.id()), l.equivocators(), node);
        assertEquals(tail.getLast().id(), l.head(buyer.id()).head(), node + ": the buyer's chain");
        assertEquals(1_000_000 - RESERVE + DEPOSIT - 1_000, l.account(buyer.id()).balance(), node);
        assertEquals(1_000_000 - DEPOSIT, l.account(dan.id()).balance(), node);
        assertEquals(LedgerAuction.Deposit.FORFEITED,
            l.auction(open(history).id()).orElseThrow().deposits().get(dan.id()), node);
        assertEquals(l.supply(), l.circulating(), node);
        if (digest == null) {
          digest = l.stateDigest();
        } else {
          assertArrayEquals(digest, l.stateDigest(), node);
        }
      }
    }
  }

  /**
   * dan forks before committing and commits on branch a only; the buyer names a witness of branch
   * b. The commitment is void, so the fold skips the forfeit and its receive; both nodes still
   * hold the buyer's whole chain (the commitment is below no settled prefix of the witness, so
   * acceptance does not ask which branch it is on) and agree.
   */
  @Test
  void aForfeitOfAVoidCommitmentIsHeldAlikeAndSkipped() throws Exception {
    List<Operation> history = new ArrayList<>(history());
    Operation commit = history.removeLast();
    Operation danGot = history.get(4);
    Operation a0 = after(dan, danGot, t + 400, new Seal());
    Operation a1 = after(dan, a0, t + 500, commit.body());
    Operation a2 = after(dan, a1, t + 2_500, new Seal());
    Operation b0 = after(dan, danGot, t + 450, new Seal());
    Operation b1 = after(dan, b0, t + 2_400, new Seal());
    Operation b2 = after(dan, b1, t + 2_600, new Seal());
    List<Operation> tail = buyerTail(history, a1, b2);
    byte[] digest = null;
    for (List<Operation> branches
        : List.of(List.of(a0, a1, a2, b0, b1, b2), List.of(b0, b1, b2, a0, a1, a2))) {
      try (Ledger l = Ledger.inMemory(config, clock)) {
        List<Operation> ops = new ArrayList<>(history);
        ops.addAll(branches);
        ops.addAll(tail);
        l.submitAll(ops); // in this order: the first branch is the one held
        Feed.shuffledUntilQuiet(l, ops, RandomSource.seeded(branches.getFirst() == a0 ? 1 : 2));
        String node = branches.getFirst() == a0 ? "branch a first" : "branch b first";
        assertEquals(tail.getLast().id(), l.head(buyer.id()).head(), node + ": the buyer's chain");
        assertEquals(2, l.skipped(), node + ": the forfeit and its receive");
        assertEquals(1_000_000 - RESERVE - 1_000, l.account(buyer.id()).balance(), node);
        assertEquals(1_000_000, l.account(dan.id()).balance(), node + ": no deposit locked");
        assertEquals(l.supply(), l.circulating(), node);
        if (digest == null) {
          digest = l.stateDigest();
        } else {
          assertArrayEquals(digest, l.stateDigest(), node);
        }
      }
    }
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(301, 12);
  }

  /**
   * dan forks into two or three branches some operations after its commitment; each branch may
   * open with a reveal, and the common prefix may hold one (then nothing is forfeitable). The
   * witness is any of dan's operations after the reveal deadline on any branch. Five ledgers,
   * the first ones handed a different branch first, then everything in shuffled rounds.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyNodeJudgesTheForfeitAlike(long seed) throws Exception {
    RandomSource r = SeededCases.random("ForfeitWitnessBranchTest", seed);
    List<Operation> history = history();
    Operation commit = history.getLast();
    List<Operation> ops = new ArrayList<>(history);
    Operation prev = commit;
    boolean prefixReveal = r.nextInt(5) == 0;
    int prefix = r.nextInt(3) + (prefixReveal ? 1 : 0);
    for (int i = 0; i < prefix; i++) {
      OperationBody b = prefixReveal && i == prefix - 1
          ? new AuctionBody.Reveal(commit.id(), bid(), salt()) : new Seal();
      prev = after(dan, prev, prefixReveal && i == prefix - 1 ? t + 1_100 : t + 600 + i, b);
      ops.add(prev);
    }
    Operation fork = prev;
    int branchCount = 2 + r.nextInt(2);
    List<List<Operation>> branches = new ArrayList<>();
    List<Operation> witnesses = new ArrayList<>();
    for (int k = 0; k < branchCount; k++) {
      List<Operation> branch = new ArrayList<>();
      Operation p = fork;
      boolean reveals = !prefixReveal && r.nextInt(2) == 0;
      int length = 1 + r.nextInt(3) + (reveals ? 1 : 0);
      for (int i = 0; i < length; i++) {
        if (reveals && i == 0) {
          p = after(dan, p, t + 1_200 + k, new AuctionBody.Reveal(commit.id(), bid(), salt()));
        } else {
          p = after(dan, p, t + 2_100 + 10 * i + k, new Seal());
          witnesses.add(p);
        }
        branch.add(p);
      }
      branches.add(branch);
      ops.addAll(branch);
    }
    Operation witness = witnesses.get(r.nextInt(witnesses.size()));
    List<Operation> tail = buyerTail(history, commit, witness);
    ops.addAll(tail);
    boolean forfeitable = !prefixReveal;
    System.out.println("prefix " + prefix + (prefixReveal ? " (reveal)" : "") + ", "
        + branchCount + " branches " + branches.stream().map(List::size).toList()
        + ", witness at sequence " + witness.sequence());

    byte[] digest = null;
    for (int node = 0; node < 5; node++) {
      try (Ledger l = Ledger.inMemory(config, clock)) {
        if (node < branchCount) {
          l.submitAll(history);
          l.submitAll(ops.subList(history.size(), history.size() + prefix));
          l.submitAll(branches.get(node));
        }
        Feed.shuffledUntilQuiet(l, ops, r.derive("node " + node));
        String where = "seed " + seed + ", node " + node;
        assertEquals(List.of(dan.id()), l.equivocators(), where);
        assertEquals(forfeitable, l.operation(tail.getFirst().id()).isPresent(),
            where + ": the forfeit is held");
        assertEquals(forfeitable ? 5 : 2, l.head(buyer.id()).length(), where);
        assertEquals(forfeitable ? LedgerAuction.Deposit.FORFEITED
            : LedgerAuction.Deposit.REFUNDED,
            l.auction(open(history).id()).orElseThrow().deposits().get(dan.id()), where);
        assertEquals(1_000_000 - (forfeitable ? DEPOSIT : 0), l.account(dan.id()).balance(),
            where);
        assertEquals(0, l.skipped(), where);
        assertEquals(l.supply(), l.circulating(), where);
        if (digest == null) {
          digest = l.stateDigest();
        } else {
          assertArrayEquals(digest, l.stateDigest(), where);
        }
      }
    }
  }
}
