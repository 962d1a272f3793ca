package io.github.edgenet.economy.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.Feed;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 50 nodes replicate one ledger over the simulator with loss, duplication and reordering; a
 * partition splits them while an attacker signs one conflicting transfer on each side; after the
 * partition heals and the network quiets, every honest node holds the same state, supply is
 * conserved, and the attacker is slashed on every node.
 */
public class ReplicationSimulationTest {
  private static final int NODES = 50;
  private static final long GRANT = 1_000_000;
  private static final long STAKE = 200_000;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11})
  void honestNodesConvergeAndTheEquivocatorIsSlashedEverywhere(long seed) throws Exception {
    System.out.println("ReplicationSimulationTest seed " + seed);
    NetworkSimulator sim = SimulatedLedgers.lossyNetwork(seed).duplication(0.01).build();
    List<NodeIdentity> ids = new ArrayList<>(SimulatedLedgers.identities(seed, NODES));
    NodeIdentity genesis = ids.removeFirst();
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
    SimulatedLedgers net = SimulatedLedgers.start(sim, config, ids,
        b -> b.antiEntropyInterval(Duration.ofSeconds(1)));
    List<SimulatedNode> nodes = net.nodes();
    List<Ledger> ledgers = net.ledgers();
    List<LedgerReplicator> reps = net.replicators();
    int attacker = NODES - 1;
    // Genesis (run by node 0's host) mints and grants every node GRANT.
    net.grantEach(genesis, GRANT);
    sim.runFor(Duration.ofSeconds(20));
    for (int i = 0; i < NODES; i++) {
      assertEquals(GRANT, ledgers.get(i).account(ids.get(i).id()).balance(), "node " + i);
      reps.get(i).append(new OperationBody.Stake(STAKE));
    }
    // Random transfers among honest nodes, with a partition in the middle.
    RandomSource traffic = RandomSource.seeded(seed).derive("traffic");
    for (int round = 0; round < 30; round++) {
      if (round == 10) {
        net.partitionEvenOdd(sim);
        // The attacker signs two transfers of its whole balance for one sequence number, one
        // per side: node 0 is on the left, node 1 on the right, each sees one branch first.
        NodeIdentity e = ids.get(attacker);
        net.equivocate(e, ledgers.get(attacker).account(e.id()).balance(),
            sim.clock().epochMillis(), null);
      }
      if (round == 20) {
        sim.heal();
      }
      for (int k = 0; k < 5; k++) {
        int from = traffic.nextInt(NODES - 1);
        int to = traffic.nextInt(NODES - 1);
        if (from != to) {
          try {
            reps.get(from).append(
                new OperationBody.Send(ids.get(to).id(), 1 + traffic.nextInt(5_000)));
          } catch (LedgerException e) {
            // a node short of funds just does not send; that is not what is tested here
          }
        }
      }
      sim.runFor(Duration.ofMillis(300));
    }
    sim.runFor(Duration.ofSeconds(40));

    byte[] digest = ledgers.get(0).stateDigest();
    long toLeft = ledgers.get(0).compensation(ids.get(0).id());
    long toRight = ledgers.get(0).compensation(ids.get(1).id());
    System.out.println("compensated " + toLeft + " + " + toRight + " of a slash of " + STAKE / 2);
    assertTrue(toLeft > 0 && toRight > 0, "both receivers of the void payments are compensated");
    assertTrue(toLeft + toRight <= STAKE / 2 && toLeft + toRight > STAKE / 2 - 2,
        "pro rata from the slash, floored");
    for (int i = 0; i < NODES; i++) {
      Ledger l = ledgers.get(i);
      assertEquals(l.supply(), l.circulating(), "node " + i + " conserves supply");
      assertEquals(toLeft, l.compensation(ids.get(0).id()), "node " + i);
      assertEquals(GRANT * NODES - (STAKE / 2 - toLeft - toRight), l.supply(),
          "the slash compensated the receivers; only the rest was burned");
      assertEquals(List.of(ids.get(attacker).id()), l.equivocators(), "node " + i);
      assertEquals(STAKE / 2, l.account(ids.get(attacker).id()).stake(), "node " + i);
      if (i != attacker) {
        assertArrayEquals(digest, l.stateDigest(), "node " + i + " digest "
            + HexFormat.of().formatHex(l.stateDigest()));
      }
    }
    // The same set of operations, fed in two other orders, gives the same state.
    List<Operation> all = net.heldBy(0);
    for (long shuffle : new long[] {1, 2}) {
      try (Ledger fresh = Ledger.inMemory(config, sim.clock())) {
        feedShuffled(fresh, all, RandomSource.seeded(seed * 31 + shuffle));
        assertArrayEquals(digest, fresh.stateDigest(), "shuffle " + shuffle);
      }
    }
    LedgerReplicator.Stats stats = reps.get(1).stats();
    assertTrue(stats.operationsAccepted() > 100, stats.toString());
    for (Ledger l : ledgers) {
      l.close();
    }
  }

  /** Submits in a random order, retrying what was missing a predecessor or source. */
  public static void feedShuffled(Ledger ledger, List<Operation> ops, RandomSource random) {
    List<Operation> pending = ops;
    while (!pending.isEmpty()) {
      pending = Feed.shuffled(pending, random);
      List<Operation> retry = new ArrayList<>();
      for (Ledger.Result r : ledger.submitAll(pending)) {
        if (r.rejection() != null) {
          switch (r.rejection().reason()) {
            case SEQUENCE_GAP, UNKNOWN_SOURCE, UNKNOWN_ACCOUNT -> retry.add(r.operation());
            default -> {}
          }
        }
      }
      if (retry.size() == pending.size()) {
        throw new AssertionError("no progress with " + retry.size() + " operations left");
      }
      pending = retry;
    }
  }
}
