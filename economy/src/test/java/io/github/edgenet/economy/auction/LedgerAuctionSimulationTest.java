package io.github.edgenet.economy.auction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.replication.LedgerReplicator;
import io.github.edgenet.economy.replication.SimulatedLedgers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sealed auction run by four nodes over the simulator (loss, duplication, reordering): the
 * buyer opens, three bidders commit through their own replicators, two reveal, the third moves on
 * without revealing; the buyer settles and forfeits the third deposit; the winner's replicator
 * claims its payment and the buyer's claims the deposit. Every node then holds the same auction,
 * the same balances and the same state digest.
 */
class LedgerAuctionSimulationTest {
  private static final long GRANT = 1_000_000;
  private static final long DEPOSIT = 10_000;
  private static final long RESERVE = 500_000;

  static Stream<Long> seeds() {
    return SeededCases.seeds(31, 2);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyNodeSettlesTheSameAuction(long seed) throws Exception {
    RandomSource random = SeededCases.random("LedgerAuctionSimulationTest", seed);
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
        .loss(0.05).duplication(0.01).reordering(0.1, Duration.ofMillis(200)).build();
    RandomSource keys = random.derive("keys");
    NodeIdentity genesis = NodeIdentity.generate(keys);
    List<NodeIdentity> ids = new ArrayList<>(); // buyer, ann, ben, dan
    for (int i = 0; i < 4; i++) {
      ids.add(NodeIdentity.generate(keys));
    }
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
    SimulatedLedgers net = SimulatedLedgers.start(sim, config, ids,
        b -> b.antiEntropyInterval(Duration.ofMillis(500)));
    List<Ledger> ledgers = net.ledgers();
    List<LedgerReplicator> reps = net.replicators();
    Ledger l0 = ledgers.get(0);
    List<Operation> grants = new ArrayList<>();
    grants.add(l0.append(genesis, new OperationBody.Mint(GRANT * 4)));
    for (NodeIdentity id : ids) {
      grants.add(l0.append(genesis, new OperationBody.Send(id.id(), GRANT)));
    }
    reps.get(0).publish(grants);
    until(sim, () -> ledgers.stream().allMatch(l -> ids.stream()
        .allMatch(id -> l.account(id.id()).balance() == GRANT)), 20);

    long now = sim.clock().epochMillis();
    Operation open = reps.get(0).append(new AuctionBody.Open(now + 3_000, now + 6_000, DEPOSIT,
        RESERVE, 1, 10_000, 0, 10, new byte[32]));
    long[] asks = {0, 100_000, 120_000, 90_000};
    List<Operation> commits = new ArrayList<>();
    commits.add(null);
    for (int i = 1; i < 4; i++) {
      int node = i;
      until(sim, () -> ledgers.get(node).operation(open.id()).isPresent(), 3);
      commits.add(reps.get(i).append(new AuctionBody.Commit(open.id(), DEPOSIT,
          bid(asks[i]).commitment(AuctionBody.auctionId(open.id()), ids.get(i).id(), salt(i)))));
    }
    sim.runFor(Duration.ofMillis(now + 3_500 - sim.clock().epochMillis()));
    List<OperationId> reveals = new ArrayList<>();
    for (int i = 1; i < 3; i++) { // dan (3) never reveals
      reveals.add(reps.get(i).append(
          new AuctionBody.Reveal(commits.get(i).id(), bid(asks[i]), salt(i))).id());
    }
    reveals.sort(null);
    sim.runFor(Duration.ofMillis(now + 6_500 - sim.clock().epochMillis()));
    Operation witness = reps.get(3).append(new OperationBody.Seal()); // dan moves on
    until(sim, () -> reveals.stream().allMatch(id -> l0.operation(id).isPresent())
        && l0.operation(witness.id()).isPresent(), 10);
    Operation settle = reps.get(0).append(new AuctionBody.Settle(open.id(), reveals));
    reps.get(0).append(new AuctionBody.Forfeit(commits.get(3).id(), witness.id()));
    until(sim, () -> ledgers.stream().allMatch(l -> l.account(ids.get(1).id()).balance()
        == GRANT + 120_000 && l.account(ids.get(0).id()).balance() == GRANT - 120_000 + DEPOSIT),
        20);
    sim.runFor(Duration.ofSeconds(5));

    byte[] digest = l0.stateDigest();
    LedgerAuction auction = l0.auction(open.id()).orElseThrow();
    assertEquals(ids.get(1).id(), auction.outcome().orElseThrow().winner().orElseThrow());
    assertEquals(120_000, auction.outcome().orElseThrow().paymentMicros());
    assertEquals(settle.id(), auction.settlement().orElseThrow());
    assertEquals(LedgerAuction.Deposit.FORFEITED, auction.deposits().get(ids.get(3).id()));
    for (int i = 0; i < 4; i++) {
      Ledger l = ledgers.get(i);
      assertEquals(auction, l.auction(open.id()).orElseThrow(), "node " + i);
      assertEquals(GRANT - DEPOSIT, l.account(ids.get(3).id()).balance(), "node " + i);
      assertEquals(GRANT, l.account(ids.get(2).id()).balance(), "node " + i + ": refunded");
      assertEquals(GRANT * 4, l.supply(), "node " + i);
      assertEquals(l.supply(), l.circulating(), "node " + i);
      assertTrue(l.unclaimed(ids.get(0).id()).isEmpty() && l.unclaimed(ids.get(1).id()).isEmpty(),
          "node " + i + ": the payment and the deposit were claimed");
      assertArrayEquals(digest, l.stateDigest(), "node " + i);
    }
    for (int i = 0; i < 4; i++) {
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
    s[1] = 42;
    return s;
  }

  private static void until(NetworkSimulator sim, BooleanSupplier done, int maxSeconds) {
    for (int i = 0; i < maxSeconds * 10 && !done.getAsBoolean(); i++) {
      sim.runFor(Duration.ofMillis(100));
    }
    assertTrue(done.getAsBoolean(), "not reached within " + maxSeconds + " virtual seconds");
  }
}
