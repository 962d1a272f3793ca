package io.github.edgenet.economy.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Feed;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A buyer that equivocates settles its auction <em>above</em> its conflict on one side of a
 * partition, and the winner claims the settlement there. The other side never held the
 * settlement, yet after the heal every honest node must accept the winner's chain, including its
 * later payment to the other side, and hold the same state: the settlement is kept as evidence
 * with everything a receive of it reads (the open, the reveals, their commitments), and the void
 * settlement pays nothing (docs/economy.md, "Receives of void operations").
 */
class VoidSettlementSimulationTest {
  private static final int NODES = 8;
  private static final long GRANT = 1_000_000;
  private static final long DEPOSIT = 10_000;
  private static final long RESERVE = 500_000;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 23})
  void aReceiveOfAVoidSettlementAboveTheConflictAppliesEverywhere(long seed) throws Exception {
    System.out.println("VoidSettlementSimulationTest seed " + seed);
    NetworkSimulator sim = SimulatedLedgers.lossyNetwork(seed).build();
    List<NodeIdentity> ids = new ArrayList<>(SimulatedLedgers.identities(seed, NODES));
    NodeIdentity genesis = ids.removeFirst();
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
    SimulatedLedgers net = SimulatedLedgers.start(sim, config, ids,
        b -> b.antiEntropyInterval(Duration.ofSeconds(1)));
    List<Ledger> ledgers = net.ledgers();
    List<LedgerReplicator> reps = net.replicators();
    int buyer = NODES - 1; // the equivocator
    int winner = 2; // left side, like node 0
    int later = 5; // right side: paid by the winner after the heal
    int[] bidders = {winner, 4, 3};
    long[] asks = {100_000, 120_000, 150_000};
    net.grantEach(genesis, GRANT);
    sim.runFor(Duration.ofSeconds(10));

    long now = sim.clock().epochMillis();
    Operation open = reps.get(buyer).append(new AuctionBody.Open(now + 3_000, now + 6_000,
        DEPOSIT, RESERVE, 1, 10_000, 0, 10, new byte[32]));
    SimulatedLedgers.until(sim,
        () -> ledgers.stream().allMatch(l -> l.operation(open.id()).isPresent()), 3);
    List<Operation> commits = new ArrayList<>();
    for (int i = 0; i < bidders.length; i++) {
      commits.add(reps.get(bidders[i]).append(new AuctionBody.Commit(open.id(), DEPOSIT,
          bid(asks[i]).commitment(AuctionBody.auctionId(open.id()), ids.get(bidders[i]).id(),
              salt(i)))));
    }
    sim.runFor(Duration.ofMillis(now + 3_500 - sim.clock().epochMillis()));
    List<OperationId> reveals = new ArrayList<>();
    for (int i = 0; i < bidders.length; i++) {
      reveals.add(reps.get(bidders[i]).append(
          new AuctionBody.Reveal(commits.get(i).id(), bid(asks[i]), salt(i))).id());
    }
    reveals.sort(null);
    sim.runFor(Duration.ofMillis(now + 12_000 - sim.clock().epochMillis()));
    for (Ledger l : ledgers) {
      for (OperationId r : reveals) {
        assertTrue(l.operation(r).isPresent(), "every node holds every reveal");
      }
    }

    net.partitionEvenOdd(sim);
    NodeIdentity e = ids.get(buyer);
    // Above the conflict, on the left branch only: the settlement, won by the (left) winner.
    SimulatedLedgers.Fork fork = net.equivocate(e, 100_000, sim.clock().epochMillis(),
        new AuctionBody.Settle(open.id(), reveals));
    Operation settle = fork.above();
    sim.runFor(Duration.ofSeconds(10));
    ChainHead wh = ledgers.get(winner).head(ids.get(winner).id());
    Operation claim = ledgers.get(winner).operation(wh.head()).orElseThrow();
    assertEquals(new OperationBody.Receive(settle.id()), claim.body(),
        "the winner claimed the settlement above the conflict on its side");
    assertFalse(ledgers.get(1).operation(settle.id()).isPresent(), "the right never held it");

    sim.heal();
    sim.runFor(Duration.ofSeconds(10));
    Operation pay = reps.get(winner).append(
        new OperationBody.Send(ids.get(later).id(), 50_000));
    sim.runFor(Duration.ofSeconds(40));

    byte[] digest = net.assertAgreeAfterVoidClaim(buyer, winner, "winner", later, pay);
    for (int i = 0; i < NODES; i++) {
      assertTrue(ledgers.get(i).auction(open.id()).orElseThrow().settlement().isEmpty(),
          "node " + i + ": the void settlement took no effect");
    }
    // The void settlement pays nothing; the winner's own money (deposit back) pays the later one.
    assertEquals(GRANT - 50_000, ledgers.get(1).account(ids.get(winner).id()).balance());
    assertEquals(GRANT + 50_000, ledgers.get(1).account(ids.get(later).id()).balance());
    List<Operation> all = net.heldBy(0);
    all.add(fork.toRight());
    all.add(settle);
    for (long shuffle : new long[] {1, 2, 3}) {
      try (Ledger fresh = Ledger.inMemory(config, sim.clock())) {
        Feed.shuffledUntilQuiet(fresh, all, RandomSource.seeded(seed + shuffle));
        assertArrayEquals(digest, fresh.stateDigest(), "shuffle " + shuffle);
      }
    }
    for (int i = 0; i < NODES; i++) {
      reps.get(i).close();
      ledgers.get(i).close();
    }
  }

  private static Bid bid(long price) {
    return new Bid(price, 1_000, 9_000);
  }

  private static byte[] salt(int i) {
    byte[] s = new byte[32];
    s[0] = (byte) i;
    s[1] = 7;
    return s;
  }
}
