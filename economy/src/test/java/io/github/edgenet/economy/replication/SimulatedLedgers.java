package io.github.edgenet.economy.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Feed;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.store.StorageException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Test helper: one simulated node per identity, each holding an in-memory ledger kept in step by
 * a started {@link LedgerReplicator} that receives automatically.
 *
 * @param nodes the simulated nodes, in the identities' order
 * @param ledgers their ledgers
 * @param replicators their replicators, started
 */
public record SimulatedLedgers(
    List<SimulatedNode> nodes, List<Ledger> ledgers, List<LedgerReplicator> replicators) {

  /**
   * The lossy network these simulations run on: log-normal links with a 20 ms median, 5% loss,
   * 10% of messages reordered by up to 200 ms (a test adds duplication if it wants).
   *
   * @param seed the simulator's seed
   * @return a builder to finish
   */
  public static NetworkSimulator.Builder lossyNetwork(long seed) {
    return NetworkSimulator.builder().seed(seed)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
        .loss(0.05)
        .reordering(0.1, Duration.ofMillis(200));
  }

  /**
   * {@code nodes + 1} identities from the seed's {@code "keys"} stream: the genesis authority
   * first, then the nodes.
   *
   * @param seed the test's seed
   * @param nodes how many node identities follow the genesis one
   * @return the identities
   */
  public static List<NodeIdentity> identities(long seed, int nodes) {
    RandomSource keys = RandomSource.seeded(seed).derive("keys");
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i <= nodes; i++) {
      ids.add(NodeIdentity.generate(keys));
    }
    return ids;
  }

  /**
   * Adds a node per identity to {@code sim} and starts its ledger and replicator.
   *
   * @param sim the simulator
   * @param config every ledger's configuration
   * @param ids the nodes' identities
   * @param options what the test changes on each replicator's builder (after {@code
   *     autoReceive(true)})
   * @return the network
   * @throws StorageException if an in-memory ledger cannot be opened
   */
  public static SimulatedLedgers start(NetworkSimulator sim, LedgerConfig config,
      List<NodeIdentity> ids, UnaryOperator<LedgerReplicator.Builder> options)
      throws StorageException {
    List<SimulatedNode> nodes = new ArrayList<>();
    List<Ledger> ledgers = new ArrayList<>();
    List<LedgerReplicator> reps = new ArrayList<>();
    for (NodeIdentity id : ids) {
      SimulatedNode n = sim.addNode(id.id());
      Ledger l = Ledger.inMemory(config, sim.clock());
      LedgerReplicator r = options.apply(
          LedgerReplicator.builder(l, id, n, sim.clock(), n.random()).autoReceive(true)).build();
      r.start();
      nodes.add(n);
      ledgers.add(l);
      reps.add(r);
    }
    return new SimulatedLedgers(nodes, ledgers, reps);
  }

  /**
   * Runs {@code sim} in 100 ms steps until {@code done} holds, failing after {@code maxSeconds}
   * virtual seconds.
   *
   * @param sim the simulator
   * @param done the condition
   * @param maxSeconds the most virtual seconds to wait
   */
  public static void until(NetworkSimulator sim, BooleanSupplier done, int maxSeconds) {
    for (int i = 0; i < maxSeconds * 10 && !done.getAsBoolean(); i++) {
      sim.runFor(Duration.ofMillis(100));
    }
    assertTrue(done.getAsBoolean(), "not reached within " + maxSeconds + " virtual seconds");
  }

  /**
   * Genesis, on node 0's ledger, mints {@code grant} per node and sends each node {@code grant};
   * node 0 publishes it all.
   *
   * @param genesis the genesis authority
   * @param grant each node's grant, micro-units
   * @throws LedgerException if node 0's ledger refuses one
   */
  public void grantEach(NodeIdentity genesis, long grant) throws LedgerException {
    Ledger l0 = ledgers.getFirst();
    List<Operation> grants = new ArrayList<>();
    grants.add(l0.append(genesis, new OperationBody.Mint(grant * nodes.size())));
    for (SimulatedNode n : nodes) {
      grants.add(l0.append(genesis, new OperationBody.Send(n.localId(), grant)));
    }
    replicators.getFirst().publish(grants);
  }

  /**
   * Partitions {@code sim} into the even-indexed nodes (node 0's side, "left") and the odd ones
   * (node 1's side, "right").
   *
   * @param sim the simulator these nodes run on
   */
  public void partitionEvenOdd(NetworkSimulator sim) {
    List<NodeId> left = new ArrayList<>();
    List<NodeId> right = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      (i % 2 == 0 ? left : right).add(nodes.get(i).localId());
    }
    sim.partition(List.of(left, right));
  }

  /**
   * An equivocation split across {@link #partitionEvenOdd}: two sends for one sequence, to node
   * 0 and to node 1, and optionally an operation above the conflict on the left branch.
   *
   * @param toLeft the send to node 0, held and published by node 0
   * @param toRight the send to node 1, held and published by node 1
   * @param above the operation on top of {@code toLeft}, or null
   */
  public record Fork(Operation toLeft, Operation toRight, Operation above) {}

  /**
   * {@code equivocator} signs two sends of {@code amount} for its next sequence at {@code when},
   * to node 0 and to node 1, and, if {@code above} is not null, {@code above} on top of the send
   * to node 0 one millisecond later. Node 0 takes the left branch (with {@code above}) and node 1
   * the right one, and each publishes what it took.
   *
   * @param equivocator the signer, one of the nodes
   * @param amount each send's amount, micro-units
   * @param when the sends' timestamp, epoch ms
   * @param above the body of the operation above the conflict, or null for none
   * @return the operations
   * @throws LedgerException if node 0 or node 1 refuses its branch
   */
  public Fork equivocate(NodeIdentity equivocator, long amount, long when,
      OperationBody above) throws LedgerException {
    ChainHead h = ledgers.get(index(equivocator.id())).head(equivocator.id());
    Operation toLeft = Operation.sign(equivocator, h.length(), h.head(), when,
        new OperationBody.Send(nodes.get(0).localId(), amount));
    Operation toRight = Operation.sign(equivocator, h.length(), h.head(), when,
        new OperationBody.Send(nodes.get(1).localId(), amount));
    Operation up = above == null ? null
        : Operation.sign(equivocator, h.length() + 1, toLeft.id(), when + 1, above);
    ledgers.get(0).submit(toLeft);
    if (up != null) {
      ledgers.get(0).submit(up);
    }
    replicators.get(0).publish(up == null ? List.of(toLeft) : List.of(toLeft, up));
    ledgers.get(1).submit(toRight);
    replicators.get(1).publish(List.of(toRight));
    return new Fork(toLeft, toRight, up);
  }

  /**
   * Asserts what the void-claim simulations expect once the network has settled: every node
   * knows {@code equivocator} as the only equivocator, holds {@code claimant}'s and {@code
   * later}'s whole chains and {@code pay}, conserves supply, and every node but the equivocator
   * has node 0's state digest.
   *
   * @param equivocator the equivocator's index
   * @param claimant the index of the node that claimed the void operation
   * @param role what the claimant is called in messages
   * @param later the index of the node {@code claimant} paid after the heal
   * @param pay that payment
   * @return node 0's state digest
   */
  public byte[] assertAgreeAfterVoidClaim(int equivocator, int claimant, String role, int later,
      Operation pay) {
    NodeId claimantId = nodes.get(claimant).localId();
    NodeId laterId = nodes.get(later).localId();
    ChainHead claimantHead = ledgers.get(claimant).head(claimantId);
    ChainHead laterHead = ledgers.get(later).head(laterId);
    byte[] digest = ledgers.get(0).stateDigest();
    for (int i = 0; i < ledgers.size(); i++) {
      Ledger l = ledgers.get(i);
      assertEquals(List.of(nodes.get(equivocator).localId()), l.equivocators(), "node " + i);
      assertEquals(claimantHead, l.head(claimantId),
          "node " + i + " holds the " + role + "'s whole chain");
      assertTrue(l.operation(pay.id()).isPresent(), "node " + i + " holds the later payment");
      assertEquals(laterHead, l.head(laterId), "node " + i);
      assertEquals(l.supply(), l.circulating(), "node " + i + " conserves supply");
      if (i != equivocator) {
        assertArrayEquals(digest, l.stateDigest(), "node " + i + " digest "
            + HexFormat.of().formatHex(l.stateDigest()));
      }
    }
    return digest;
  }

  private int index(NodeId id) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).localId().equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a node: " + id);
  }

  /**
   * {@link Feed#held} of node {@code i}'s ledger.
   *
   * @param i the node's index
   * @return the operations
   */
  public List<Operation> heldBy(int i) {
    return Feed.held(ledgers.get(i));
  }
}
