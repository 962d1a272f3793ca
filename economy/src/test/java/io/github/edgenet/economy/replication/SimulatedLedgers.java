package io.github.edgenet.economy.replication;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.store.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
}
