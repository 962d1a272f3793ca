package io.github.edgenet.economy.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An equivocator pays an honest receiver from <em>above</em> its conflict on one side of a
 * partition, and the receiver claims it there. The other side never held that payment (once the
 * conflict is known the chain above it is void and is never pulled), yet after the partition heals
 * every honest node must accept the receiver's chain, including its later operations, and hold the
 * same state (docs/economy.md, "Receives of void operations").
 */
public class VoidSourceSimulationTest {
  private static final int NODES = 8;
  private static final long GRANT = 1_000_000;
  private static final long STAKE = 200_000;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 17})
  void aReceiveOfAVoidPaymentAboveTheConflictAppliesEverywhere(long seed) throws Exception {
    System.out.println("VoidSourceSimulationTest seed " + seed);
    NetworkSimulator sim = SimulatedLedgers.lossyNetwork(seed).build();
    List<NodeIdentity> ids = new ArrayList<>(SimulatedLedgers.identities(seed, NODES));
    NodeIdentity genesis = ids.removeFirst();
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
    SimulatedLedgers net = SimulatedLedgers.start(sim, config, ids,
        b -> b.antiEntropyInterval(Duration.ofSeconds(1)));
    List<Ledger> ledgers = net.ledgers();
    List<LedgerReplicator> reps = net.replicators();
    int attacker = NODES - 1;
    int receiver = 2; // left side, like node 0
    int later = 5; // right side: paid by the receiver after the heal
    net.grantEach(genesis, GRANT);
    sim.runFor(Duration.ofSeconds(10));
    reps.get(attacker).append(new OperationBody.Stake(STAKE));
    sim.runFor(Duration.ofSeconds(5));

    net.partitionEvenOdd(sim);
    NodeIdentity e = ids.get(attacker);
    // Above the conflict, on the left branch only: a payment to the (left) receiver.
    SimulatedLedgers.Fork fork = net.equivocate(e, 100_000, sim.clock().epochMillis(),
        new OperationBody.Send(ids.get(receiver).id(), 300_000));
    sim.runFor(Duration.ofSeconds(10));
    ChainHead rh = ledgers.get(receiver).head(ids.get(receiver).id());
    Operation claim = ledgers.get(receiver).operation(rh.head()).orElseThrow();
    assertEquals(new OperationBody.Receive(fork.above().id()), claim.body(),
        "the receiver claimed the payment above the conflict on its side");

    sim.heal();
    sim.runFor(Duration.ofSeconds(10));
    Operation pay = reps.get(receiver).append(
        new OperationBody.Send(ids.get(later).id(), 50_000));
    sim.runFor(Duration.ofSeconds(40));

    byte[] digest = net.assertAgreeAfterVoidClaim(attacker, receiver, "receiver", later, pay);
    // The void payment credits nothing; the receiver's own money still pays the later payment.
    assertEquals(GRANT - 50_000, ledgers.get(1).account(ids.get(receiver).id()).balance());
    assertEquals(GRANT + 50_000, ledgers.get(1).account(ids.get(later).id()).balance());
    // A fresh ledger fed every held operation (the void ones included) in shuffled orders agrees.
    List<Operation> all = net.heldBy(0);
    all.add(fork.toRight());
    for (long shuffle : new long[] {1, 2, 3}) {
      try (Ledger fresh = Ledger.inMemory(config, sim.clock())) {
        ReplicationSimulationTest.feedShuffled(fresh, all, RandomSource.seeded(seed + shuffle));
        assertArrayEquals(digest, fresh.stateDigest(), "shuffle " + shuffle);
      }
    }
    for (Ledger l : ledgers) {
      l.close();
    }
  }
}
