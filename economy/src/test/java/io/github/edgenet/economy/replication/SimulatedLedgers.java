package io.github.edgenet.economy.replication;

import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.store.StorageException;
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
