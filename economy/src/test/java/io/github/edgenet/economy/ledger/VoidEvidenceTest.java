package io.github.edgenet.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Stake;
import io.github.edgenet.economy.store.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receives of an equivocator's operations above its conflict (docs/economy.md, "Receives of void
 * operations"): a node that never held the void payment accepts the receiver's chain once it is
 * handed the payment as evidence, the receive credits nothing, both nodes agree, the evidence
 * survives a restart, and void operations nothing names are never stored.
 */
class VoidEvidenceTest {
  private final List<NodeIdentity> ids = Keys.identities(23, 6);
  private final NodeIdentity genesis = ids.get(0);
  private final NodeIdentity eve = ids.get(1);
  private final NodeIdentity alice = ids.get(2);
  private final NodeIdentity bob = ids.get(3);
  private final NodeIdentity carol = ids.get(4);
  private final NodeIdentity dave = ids.get(5);
  private final VirtualClock clock = new VirtualClock();
  private final LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();

  private static Operation after(NodeIdentity who, Operation prev, long ts, OperationBody b) {
    return Operation.sign(who, prev.sequence() + 1, prev.id(), ts, b);
  }

  @Test
  void aReceiveAboveTheConflictIsAcceptedWithItsEvidenceAndCreditsNothing(@TempDir Path dir)
      throws Exception {
    List<Operation> common = new ArrayList<>();
    Operation a;
    Operation above;
    Operation release;
    Operation claim;
    Operation claim2;
    Operation spend;
    try (Ledger x = Ledger.open(config, dir.resolve("x"), Durability.FULL, clock)) {
      common.add(x.append(genesis, new Mint(2_000_000)));
      Operation toEve = x.append(genesis, new Send(eve.id(), 1_000_000));
      Operation toCarol = x.append(genesis, new Send(carol.id(), 500_000));
      common.add(toEve);
      common.add(toCarol);
      common.add(x.append(eve, new Receive(toEve.id())));
      common.add(x.append(carol, new Receive(toCarol.id())));
      Operation staked = x.append(eve, new Stake(200_000));
      common.add(staked);
      long t = clock.epochMillis();
      a = after(eve, staked, t, new Send(alice.id(), 100_000));
      Operation b = after(eve, staked, t, new Send(bob.id(), 100_000));
      // x holds branch a and what eve built on it; carol claims a payment and a release above it.
      above = after(eve, a, t + 1, new Send(carol.id(), 300_000));
      Operation lock = after(eve, above, t + 2, new EscrowLock(carol.id(), 50_000, t + 100_000,
          new byte[32]));
      release = after(eve, lock, t + 3, new EscrowRelease(lock.id()));
      for (Operation op : List.of(a, above, lock, release)) {
        x.submit(op);
      }
      clock.advance(java.time.Duration.ofMillis(10));
      claim = x.append(carol, new Receive(above.id()));
      claim2 = x.append(carol, new Receive(release.id()));
      spend = x.append(carol, new Send(dave.id(), 700_000)); // affordable with the void credits
      x.submit(b);
      assertEquals(List.of(eve.id()), x.equivocators());

      try (Ledger y = Ledger.open(config, dir.resolve("y"), Durability.FULL, clock)) {
        for (Operation op : common) {
          y.submit(op);
        }
        y.submit(b);
        assertEquals(Ledger.Outcome.EQUIVOCATION, y.submit(a));
        LedgerException e = assertThrows(LedgerException.class, () -> y.submit(claim));
        assertEquals(Reason.UNKNOWN_SOURCE, e.reason(), "without the evidence");
        int size = y.size();
        e = assertThrows(LedgerException.class, () -> y.submit(above));
        assertEquals(Reason.CHAIN_VOID, e.reason());
        assertEquals(size, y.size(), "void and named by nothing held: not stored");
        assertTrue(y.operation(above.id()).isEmpty());

        List<Operation> evidence = x.evidenceFor(claim2);
        assertEquals(List.of(lock, release), evidence, "references first");
        assertEquals(List.of(above), x.evidenceFor(claim));
        List<Operation> batch = new ArrayList<>();
        batch.add(claim);
        batch.addAll(evidence);
        batch.add(claim2);
        batch.add(spend);
        for (Ledger.Result r : y.submitAll(batch)) {
          assertTrue(r.rejection() == null
              || r.rejection().reason() == Reason.CHAIN_VOID, r.toString());
        }
        assertEquals(x.head(carol.id()), y.head(carol.id()), "carol's whole chain");
        assertTrue(y.operation(above.id()).isPresent(), "the named evidence is held");
        assertEquals(List.of(above), y.evidenceFor(claim));
        assertArrayEquals(x.stateDigest(), y.stateDigest());
        assertEquals(500_000, y.account(carol.id()).balance(),
            "void credits nothing; the spend that needed them is skipped");
        assertEquals(0, y.account(dave.id()).balance());
        assertEquals(0, y.compensation(carol.id()), "above the conflict: no claim on the slash");
        assertEquals(y.supply(), y.circulating());
      }
      try (Ledger again = Ledger.open(config, dir.resolve("y"), Durability.FULL, clock)) {
        assertArrayEquals(x.stateDigest(), again.stateDigest(), "the evidence was stored");
        assertEquals(x.head(carol.id()), again.head(carol.id()));
      }
    }
  }

  /**
   * Genesis mints and sends eve, carol and dave 1,000,000 each on {@code x}, and each receives
   * it: the history both auction cases start from, in order (eve's receive at index 2, dave's at
   * index 6).
   */
  private List<Operation> fundEveCarolDave(Ledger x) throws LedgerException {
    List<Operation> common = new ArrayList<>();
    common.add(x.append(genesis, new Mint(3_000_000)));
    for (NodeIdentity who : List.of(eve, carol, dave)) {
      Operation pay = x.append(genesis, new Send(who.id(), 1_000_000));
      common.add(pay);
      common.add(x.append(who, new Receive(pay.id())));
    }
    return common;
  }

  @Test
  void aReceiveOfAVoidSettlementIsAcceptedWithTheVoidAuctionAsEvidence() throws Exception {
    try (Ledger x = Ledger.inMemory(config, clock); Ledger y = Ledger.inMemory(config, clock)) {
      List<Operation> common = fundEveCarolDave(x);
      Operation got = common.get(2);
      long t = clock.epochMillis();
      Operation a = after(eve, got, t, new Send(alice.id(), 1));
      Operation b = after(eve, got, t, new Send(bob.id(), 1));
      // Above the conflict on branch a: eve's auction, which carol and dave bid in and carol wins.
      Operation open = after(eve, a, t + 1, new AuctionBody.Open(t + 1_000, t + 2_000, 10_000,
          500_000, 1, 10_000, 0, 10, new byte[32]));
      x.submit(a);
      x.submit(open);
      Operation carolCommit = x.append(carol, commit(carol, open, 100_000, 1));
      Operation daveCommit = x.append(dave, commit(dave, open, 120_000, 2));
      clock.advance(java.time.Duration.ofMillis(1_500));
      Operation carolReveal = x.append(carol, reveal(carolCommit, 100_000, 1));
      Operation daveReveal = x.append(dave, reveal(daveCommit, 120_000, 2));
      clock.advance(java.time.Duration.ofMillis(1_000));
      List<OperationId> reveals = new ArrayList<>(List.of(carolReveal.id(), daveReveal.id()));
      reveals.sort(null);
      Operation settle = after(eve, open, clock.epochMillis(),
          new AuctionBody.Settle(open.id(), reveals));
      x.submit(settle);
      Operation claim = x.append(carol, new Receive(settle.id()));
      assertEquals(1_000_000 + 120_000, x.account(carol.id()).balance(), "paid before the fork");
      x.submit(b);
      assertEquals(List.of(open, settle), x.evidenceFor(claim), "references first");
      assertEquals(List.of(open), x.evidenceFor(carolCommit));

      for (Operation op : common) {
        y.submit(op);
      }
      y.submit(b);
      y.submit(a);
      assertEquals(Reason.CHAIN_VOID,
          assertThrows(LedgerException.class, () -> y.submit(settle)).reason());
      assertEquals(Reason.UNKNOWN_SOURCE,
          assertThrows(LedgerException.class, () -> y.submit(carolCommit)).reason(),
          "without the evidence");
      // What a replicator's pull answer carries: each operation after the evidence it names.
      java.util.LinkedHashSet<Operation> batch = new java.util.LinkedHashSet<>();
      for (Operation op : List.of(carolCommit, daveCommit, carolReveal, daveReveal, claim)) {
        batch.addAll(x.evidenceFor(op));
        batch.add(op);
      }
      for (Ledger.Result r : y.submitAll(List.copyOf(batch))) {
        assertTrue(r.rejection() == null
            || r.rejection().reason() == Reason.CHAIN_VOID, r.toString());
      }
      assertEquals(x.head(carol.id()), y.head(carol.id()), "carol's whole chain");
      assertEquals(x.head(dave.id()), y.head(dave.id()));
      assertArrayEquals(x.stateDigest(), y.stateDigest());
      assertEquals(1_000_000, y.account(carol.id()).balance(),
          "the void auction pays nothing and locks no deposit");
      assertEquals(1_000_000, y.account(dave.id()).balance());
      assertTrue(y.auction(open.id()).isEmpty());
      assertEquals(y.supply(), y.circulating());
    }
  }

  @Test
  void aSettlementNamingAVoidRevealIsAcceptedWithTheRevealAndItsCommitmentAsEvidence()
      throws Exception {
    try (Ledger x = Ledger.inMemory(config, clock); Ledger y = Ledger.inMemory(config, clock)) {
      List<Operation> common = fundEveCarolDave(x);
      long t = clock.epochMillis();
      Operation open = x.append(eve, new AuctionBody.Open(t + 1_000, t + 2_000, 10_000,
          500_000, 1, 10_000, 0, 10, new byte[32]));
      common.add(open);
      Operation carolCommit = x.append(carol, commit(carol, open, 100_000, 1));
      common.add(carolCommit);
      // dave equivocates, then bids (and wins) on branch a only: his bid is void.
      Operation daveGot = common.get(6);
      Operation a = after(dave, daveGot, t, new Send(alice.id(), 1));
      Operation b = after(dave, daveGot, t, new Send(bob.id(), 1));
      x.submit(a);
      Operation daveCommit = after(dave, a, t + 1, commit(dave, open, 90_000, 2));
      x.submit(daveCommit);
      clock.advance(java.time.Duration.ofMillis(1_500));
      Operation carolReveal = x.append(carol, reveal(carolCommit, 100_000, 1));
      common.add(carolReveal);
      Operation daveReveal = after(dave, daveCommit, clock.epochMillis(),
          reveal(daveCommit, 90_000, 2));
      x.submit(daveReveal);
      clock.advance(java.time.Duration.ofMillis(1_000));
      List<OperationId> reveals = new ArrayList<>(List.of(carolReveal.id(), daveReveal.id()));
      reveals.sort(null);
      Operation settle = x.append(eve, new AuctionBody.Settle(open.id(), reveals));
      x.submit(b);
      assertEquals(List.of(daveCommit, daveReveal), x.evidenceFor(settle), "references first");

      for (Operation op : common) {
        y.submit(op);
      }
      y.submit(b);
      y.submit(a);
      List<Operation> batch = new ArrayList<>(x.evidenceFor(settle));
      batch.add(settle);
      for (Ledger.Result r : y.submitAll(batch)) {
        assertTrue(r.rejection() == null
            || r.rejection().reason() == Reason.CHAIN_VOID, r.toString());
      }
      assertEquals(x.head(eve.id()), y.head(eve.id()), "the honest buyer's whole chain");
      assertArrayEquals(x.stateDigest(), y.stateDigest());
      assertEquals(x.auction(open.id()), y.auction(open.id()));
      assertEquals(y.supply(), y.circulating());
    }
  }

  private static OperationBody commit(NodeIdentity who, Operation open, long ask, int salt) {
    return new AuctionBody.Commit(open.id(), 10_000, new io.github.edgenet.economy.auction.Bid(
        ask, 1_000, 9_000).commitment(AuctionBody.auctionId(open.id()), who.id(), salt(salt)));
  }

  private static OperationBody reveal(Operation commit, long ask, int salt) {
    return new AuctionBody.Reveal(commit.id(),
        new io.github.edgenet.economy.auction.Bid(ask, 1_000, 9_000), salt(salt));
  }

  private static byte[] salt(int i) {
    byte[] s = new byte[32];
    s[0] = (byte) i;
    return s;
  }

  @Test
  void forgedOrUnnamedVoidOperationsAreNeverHeld() throws Exception {
    try (Ledger y = Ledger.inMemory(config, clock)) {
      y.append(genesis, new Mint(1_000_000));
      Operation toEve = y.append(genesis, new Send(eve.id(), 1_000_000));
      Operation got = y.append(eve, new Receive(toEve.id()));
      long t = clock.epochMillis();
      Operation a = after(eve, got, t, new Send(alice.id(), 1));
      Operation b = after(eve, got, t, new Send(bob.id(), 1));
      y.submit(a);
      y.submit(b);
      int size = y.size();
      Operation prev = a;
      for (int i = 0; i < 2 * 256 + 10; i++) {
        Operation v = after(eve, prev, t + 1 + i, new Send(carol.id(), 1 + i));
        assertEquals(Reason.CHAIN_VOID,
            assertThrows(LedgerException.class, () -> y.submit(v)).reason());
        prev = v;
      }
      assertEquals(size, y.size(), "a flood of void operations stores nothing");
      // A receive of one of the first (evicted from the bounded pool) is missing its source.
      Operation first = after(eve, a, t + 1, new Send(carol.id(), 1));
      Operation claimFirst = Operation.sign(carol, 0, OperationId.ZERO, t + 1000,
          new Receive(first.id()));
      assertEquals(Reason.UNKNOWN_SOURCE,
          assertThrows(LedgerException.class, () -> y.submit(claimFirst)).reason());
      // A forged void payment (signed by carol in eve's name) is never evidence.
      Operation real = after(eve, a, t + 5_000, new Send(carol.id(), 77));
      byte[] bytes = real.encoded();
      Operation forgedSig = Operation.sign(carol, real.sequence(), real.previous(),
          real.timestampMillis(), real.body());
      byte[] forged = bytes.clone();
      byte[] sig = forgedSig.encoded();
      System.arraycopy(sig, sig.length - 64, forged, forged.length - 64, 64);
      Operation fake = Operation.decode(forged);
      assertEquals(Reason.CHAIN_VOID,
          assertThrows(LedgerException.class, () -> y.submit(fake)).reason());
      Operation claimFake = Operation.sign(carol, 0, OperationId.ZERO, t + 6_000,
          new Receive(fake.id()));
      assertEquals(Reason.UNKNOWN_SOURCE,
          assertThrows(LedgerException.class, () -> y.submit(claimFake)).reason());
      assertNull(y.head(carol.id()));
      assertEquals(size, y.size());
    }
  }
}
