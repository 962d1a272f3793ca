package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.KeyFile;
import io.github.edgenet.core.identity.KeyFileException;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.store.StorageException;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.node.ResultVerifier;
import io.github.edgenet.swarm.node.TaskListener;
import io.github.edgenet.swarm.node.TaskObjective;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How an {@code EdgeNode} is put together from its builder's options: the identity (given, or
 * from the encrypted key file), the network endpoint and its clock and randomness, the protocol
 * channels on that one endpoint, the seams (pricing, allocation gate, ledger settlement, swarm
 * coordination, learning), the node store and the engine. On failure everything opened so far is
 * closed again.
 */
public final class NodeWiring {
  private NodeWiring() {}

  /**
   * What the builder collected; null means "the default" for the nullable ones (see {@code
   * EdgeNode.Builder}).
   *
   * @param identity the node's keys, or null
   * @param keyFile the key file, or null
   * @param password the key file's password, or null
   * @param storage the storage directory, or null for in memory
   * @param simulator the simulator to add an endpoint to, or null
   * @param network the endpoint, or null
   * @param clock the clock, or null
   * @param random the randomness, or null
   * @param runner where executors run, or null
   * @param config the node configuration
   * @param executors executors by task type
   * @param verifiers verifiers by task type
   * @param listeners listeners registered before start
   * @param objectives learned types' objectives
   * @param adaptive types whose results are not byte-compared
   * @param learning learning settings
   * @param genesis the ledger's genesis, or null for no ledger
   * @param governance the governance rules, or null for economy's defaults
   * @param economy the economy settings
   */
  public record Options(NodeIdentity identity, Path keyFile, char[] password, Path storage,
      NetworkSimulator simulator, PeerNetwork network, Clock clock, RandomSource random,
      Executor runner, EdgeNodeConfig config, Map<String, NodeEngine.Registered> executors,
      Map<String, ResultVerifier> verifiers, List<TaskListener> listeners,
      Map<String, TaskObjective> objectives, Set<String> adaptive, LearningConfig learning,
      Map<NodeId, Long> genesis, GovernorSettings governance, EconomyConfig economy) {}

  /**
   * The parts of a running node.
   *
   * @param engine the task protocol's engine
   * @param mux the node's one endpoint, split by envelope type
   * @param ownsNetwork whether the node created the endpoint (and closes it)
   * @param economy the ledger settlement, or null without a genesis
   * @param learning the provider-side learning
   * @param ownedRunner the executor runner the node created (and shuts down), or null
   */
  public record Parts(NodeEngine engine, ProtocolMux mux, boolean ownsNetwork,
      LedgerSettlement economy, AdapterLearning learning, ExecutorService ownedRunner) {}

  /**
   * Wires and starts a node.
   *
   * @param o the options
   * @return the running node's parts
   * @throws IOException if the storage directory or key file cannot be used
   * @throws StorageException if the ledger cannot be opened
   */
  public static Parts wire(Options o) throws IOException, StorageException {
    if (o.storage() != null) {
      Files.createDirectories(o.storage());
    }
    NodeIdentity id = resolveIdentity(o);
    PeerNetwork net = o.network();
    boolean owns = false;
    if (net == null) {
      NetworkSimulator sim = o.simulator() != null ? o.simulator()
          : NetworkSimulator.builder().seed(0).build();
      net = sim.addNode(id.id());
      owns = true;
    }
    Clock c = o.clock();
    RandomSource r = o.random();
    if (net instanceof SimulatedNode sn) {
      c = c != null ? c : sn.simulator().clock();
      r = r != null ? r : sn.random();
    }
    c = c != null ? c : Clock.system();
    r = r != null ? r : RandomSource.seeded(seedOf(id.id()));
    Map<String, Long> prices = new LinkedHashMap<>();
    o.executors().forEach((type, reg) -> prices.put(type, reg.priceMicros()));
    if (!net.localId().equals(id.id())) {
      throw new IllegalArgumentException("network endpoint " + net.localId()
          + " is not the identity's node " + id.id());
    }
    EdgeNodeConfig config = o.config();
    // One endpoint, two protocols: the ledger's replicator gets its envelope types, the task
    // protocol (and its shared swarm state) everything else.
    ProtocolMux mux = new ProtocolMux(net);
    Seams seams = Seams.standard(id.id(), c, r, config.embeddingDimension(), prices);
    seams = seams.withGate(config.executionSlots() == 0 ? new AlwaysAdmit()
        : new AllocationGate(c, prices.keySet(), config.executionSlots(),
            config.allocationPeriodMillis(), config.offerHoldMillis()));
    LedgerSettlement economy = null;
    NodeStore store = null;
    AdapterLearning learning = new NoAdapterLearning(o.adaptive());
    ExecutorService ownedRunner = null;
    try { // everything opened from here on is closed again if a later step fails
      if (o.genesis() != null) {
        economy = LedgerSettlement.start(id,
            mux.channel(LedgerSettlement.FIRST_TYPE, LedgerSettlement.LAST_TYPE), c,
            r.derive("ledger"), o.genesis(), o.economy(), !o.executors().isEmpty(), o.storage(),
            o.governance());
        seams = seams.withSettlement(economy).withMisbehaviour(economy);
        if (seams.candidates() instanceof SwarmCoordination swarm) {
          swarm.useReputation(economy::reputation); // reputation weighs the shortlist
        }
      }
      store = NodeStore.open(o.storage());
      if (economy != null && economy.hasEarlierLocks()) { // stopped between a task's stored
        economy.settleEnded(store.endedSubmitted(id.id())); // end and its payment
      }
      if (!o.objectives().isEmpty()) { // learning's envelope range on the shared endpoint
        learning = CollectiveLearning.start(id,
            mux.channel(CollectiveLearning.FIRST_TYPE, CollectiveLearning.LAST_TYPE), c,
            r.derive("learning"), config.embeddingDimension(), config.adapterRank(),
            o.learning(), o.objectives(), o.adaptive(), o.storage() == null ? null : store);
      }
      seams = seams.withLearning(learning);
      Executor run = o.runner();
      if (run == null) {
        run = net instanceof SimulatedNode ? Runnable::run
            : (ownedRunner = Executors.newVirtualThreadPerTaskExecutor());
      }
      NodeEngine engine = new NodeEngine(id, mux.fallback(), false, c, r, config, store,
          o.executors(), o.verifiers(), seams, o.listeners(), o.economy(), run);
      return new Parts(engine, mux, owns, economy, learning, ownedRunner);
    } catch (RuntimeException | StorageException e) {
      if (ownedRunner != null) {
        ownedRunner.shutdown();
      }
      if (store != null) {
        store.close();
      }
      learning.close();
      if (economy != null) {
        economy.close();
      }
      if (owns) {
        net.close();
      }
      throw e;
    }
  }

  /** The given identity, or the key file's (read, or written with a given or new identity). */
  private static NodeIdentity resolveIdentity(Options o) throws IOException {
    Path file = o.keyFile() != null ? o.keyFile()
        : o.storage() != null && o.password() != null ? o.storage().resolve("node.key") : null;
    NodeIdentity identity = o.identity();
    if (file == null) {
      if (o.storage() != null && identity == null) {
        throw new IllegalStateException("a storage directory keeps the node's key in node.key,"
            + " encrypted: set keyPassword(...), keyFile(...) or identity(...)");
      }
      return identity != null ? identity : NodeIdentity.generate();
    }
    if (Files.exists(file)) {
      NodeIdentity stored;
      try {
        stored = KeyFile.read(file, o.password());
      } catch (KeyFileException e) {
        throw new UncheckedIOException(new IOException("cannot open key file " + file, e));
      }
      if (identity != null && !identity.id().equals(stored.id())) {
        throw new IllegalStateException("identity " + identity.id() + " is not the one in "
            + file + " (" + stored.id() + ")");
      }
      return stored;
    }
    NodeIdentity fresh = identity != null ? identity : NodeIdentity.generate();
    KeyFile.write(file, fresh, o.password());
    return fresh;
  }

  private static long seedOf(NodeId id) {
    byte[] b = id.toBytes();
    long seed = 0;
    for (int i = 0; i < 8; i++) {
      seed = seed << 8 | (b[i] & 0xff);
    }
    return seed;
  }
}
